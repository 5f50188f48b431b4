import threading
import time
def say(msg, delay):
    time.sleep(delay)
    print(msg)
threading.Thread(target=say, args=("third", 0.3)).start()
threading.Thread(target=say, args=("first", 0.1)).start()
threading.Thread(target=say, args=("second", 0.2)).start()
print("main done")
