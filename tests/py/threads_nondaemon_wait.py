import threading
import time
def slow():
    time.sleep(0.2)
    print("non-daemon thread finished")
threading.Thread(target=slow).start()
print("main thread ends first")
