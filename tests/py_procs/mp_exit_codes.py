# Exit codes of children: sys.exit(n), an exception (traceback on stderr).
import multiprocessing
import sys


def leaves(code):
    sys.exit(code)


def fails():
    print("about to fail", flush=True)
    return 1 / 0


if __name__ == "__main__":
    a = multiprocessing.Process(target=leaves, args=(4,))
    a.start()
    a.join()
    print("sys.exit(4) ->", a.exitcode, flush=True)
    b = multiprocessing.Process(target=fails)
    b.start()
    b.join()
    print("exception ->", b.exitcode, flush=True)
    c = multiprocessing.Process(target=leaves, args=(None,))
    c.start()
    c.join()
    print("sys.exit(None) ->", c.exitcode, flush=True)
