import threading
import time
def say(msg, delay):
    time.sleep(delay)
    print(msg)
threading.Thread(target=say, args=("third", 1.5)).start()
threading.Thread(target=say, args=("first", 0.5)).start()
threading.Thread(target=say, args=("second", 1.0)).start()
print("main done")
