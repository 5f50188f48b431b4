import threading
import time
def slow():
    time.sleep(1)
    print("non-daemon thread finished")
threading.Thread(target=slow).start()
print("main thread ends first")
