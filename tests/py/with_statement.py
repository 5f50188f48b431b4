class Managed:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, exc)
        return self.suppress
with Managed("a") as m:
    print("inside", m.name)
with Managed("b", suppress=True):
    raise ValueError("swallowed")
print("after b")
try:
    with Managed("c"):
        raise KeyError("propagates")
except KeyError as e:
    print("caught", e)
with Managed("outer") as o, Managed("inner") as i:
    print("both", o.name, i.name)
def early():
    with Managed("ret"):
        return "returned"
print(early())
for n in range(2):
    with Managed("loop%d" % n):
        if n == 0:
            continue
        print("body", n)
import threading
lock = threading.Lock()
with lock:
    print("locked", lock.locked())
print("unlocked", lock.locked())
print(lock.acquire(), lock.acquire(False), lock.locked())
lock.release()
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
with open("data.txt") as f:
    print(f.read().splitlines()[0])
print(f.closed)
