# A TCP server with one process per client: multiprocessing forks a child.
import multiprocessing
import os
import socket

REPLY = "{REPLY}"  # every message gets this reply
ENCODING = "{ENCODING}"  # how text becomes bytes


def handle_client(conn, addr):
    # Runs in the child: a copy of the server process, its fds included.
    print("process", os.getpid(), "serves", addr)
    while True:
        data = conn.recv({RECV})  # blocks until the kernel has bytes; at most {RECV}
        if data:
            print(data.decode(ENCODING, errors="replace"), addr)
            conn.send(REPLY.encode(ENCODING))  # only copies into the send buffer
        else:
            print("client offline:", addr)  # b"" means the client sent FIN
            break
    conn.close()  # the child's fd: FIN goes once no process holds the socket


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Let the server bind its port again right after a restart.
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen({BACKLOG})  # the kernel answers handshakes and queues up to {BACKLOG}
    print("server process", os.getpid())
    while True:
        conn, addr = server.accept()  # blocks until a handshake has finished
        print("client connected:", addr)
        # start() forks: the child gets a copy of this process, fds included.
        p = multiprocessing.Process(target=handle_client, args=(conn, addr))
        p.start()
        conn.close()  # the parent's copy: without this line the client never sees FIN
