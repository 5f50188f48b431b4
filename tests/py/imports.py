import socket
import threading as th
from time import sleep, time as now
from socket import AF_INET, SOCK_STREAM
from socket import *
import sys, os
print(socket.AF_INET, AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, IPPROTO_TCP, TCP_NODELAY)
print(SHUT_RD, SHUT_WR, SHUT_RDWR, socket.SO_SNDBUF, socket.SO_RCVBUF)
print(th.Thread.__name__, callable(sleep), callable(now), sys.argv, type(os.getpid()).__name__)
print(socket.timeout is TimeoutError, socket.error is OSError, issubclass(socket.gaierror, OSError))
print(type(socket).__name__, socket.__name__, th.__name__)
try:
    import nonexistent_module
except ModuleNotFoundError as e:
    print(type(e).__name__, e)
try:
    from socket import nonexistent
except ImportError as e:
    print(type(e).__name__, str(e).split(" (")[0])
import time
t0 = time.time()
time.sleep(0.01)
print(time.time() >= t0, time.monotonic() >= 0)
if __name__ == "__main__":
    print("main module")
