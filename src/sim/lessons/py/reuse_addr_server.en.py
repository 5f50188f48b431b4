# A server to start with or without SO_REUSEADDR: python3 server.py [--reuse]
import socket
import sys

if __name__ == "__main__":
    reuse = "--reuse" in sys.argv
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if reuse:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    print("starting, SO_REUSEADDR =", reuse)
    server.bind(("", {PORT}))  # OSError [Errno 98] if the port is still held
    server.listen(8)
    conn, addr = server.accept()
    conn.recv(1024)
    conn.sendall(b"served, bye")
    conn.close()  # the server closes first: its side of the connection enters TIME-WAIT
    server.close()
    print("served one client and closed first; exiting")
