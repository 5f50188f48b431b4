import threading
import time
def background():
    time.sleep(10)
    print("never printed")
t = threading.Thread(target=background)
t.setDaemon(True)
t.start()
print(t.isDaemon(), t.getName())
t.setName("renamed")
print(t.name)
print("main exits; daemon thread dies")
