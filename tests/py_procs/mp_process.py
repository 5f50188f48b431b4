# multiprocessing.Process: a child per call, started by fork (Linux, 3.11).
import multiprocessing
import os

results = []


def work(name, n):
    results.append(name)  # only the child's copy changes
    print("child", name, "computes", n * n, results, flush=True)


class Squarer(multiprocessing.Process):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def run(self):
        print("subclass run:", self.n * self.n, flush=True)


if __name__ == "__main__":
    p = multiprocessing.Process(target=work, args=("one", 7))
    print(p.name, p.pid, p.exitcode, p.is_alive(), p.daemon, flush=True)
    p.start()
    p.join()
    print(p.name, p.pid is not None, p.exitcode, p.is_alive(), flush=True)
    q = multiprocessing.Process(target=work, args=("two", 3), name="worker")
    q.start()
    q.join()
    print(q.name, q.exitcode, "parent still has", results, flush=True)
    s = Squarer(5)
    s.start()
    s.join()
    print(s.name, s.exitcode, flush=True)
    try:
        p.start()
    except AssertionError as e:
        print("AssertionError:", e, flush=True)
    r = multiprocessing.Process(target=work, args=("three", 2))
    try:
        r.join()
    except AssertionError as e:
        print("AssertionError:", e, flush=True)
