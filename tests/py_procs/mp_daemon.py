# At exit the parent terminates its daemonic children and waits for the others.
import multiprocessing
import time


def late(text, delay):
    time.sleep(delay)
    print(text, flush=True)


if __name__ == "__main__":
    d = multiprocessing.Process(target=late, args=("daemon: never printed", 0.5), daemon=True)
    n = multiprocessing.Process(target=late, args=("non-daemon: printed after the parent's last line", 0.2))
    print(d.daemon, n.daemon, flush=True)
    d.start()
    n.start()
    print("alive:", d.is_alive(), n.is_alive(), flush=True)
    print("parent's last line", flush=True)
