import threading
import time
lock = threading.Lock()
counter = 0
def add(times):
    global counter
    for _ in range(times):
        with lock:
            value = counter
            time.sleep(0)
            counter = value + 1
ts = [threading.Thread(target=add, args=(50,)) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("counter", counter)
rl = threading.RLock()
with rl:
    with rl:
        print("reentrant ok")
ev = threading.Event()
def setter():
    time.sleep(1)  # long enough that main prints first, even on a loaded machine
    ev.set()
threading.Thread(target=setter).start()
print("waiting", ev.is_set())
ev.wait()
print("event set", ev.is_set())
