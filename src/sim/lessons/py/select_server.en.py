# An echo server in one thread: a selector watches every socket at once.
import selectors
import socket

REPLY = "{REPLY}"  # every message gets this reply
ENCODING = "{ENCODING}"  # how text becomes bytes
sel = selectors.DefaultSelector()  # on Linux: an epoll instance in the kernel


def accept(server):
    conn, addr = server.accept()  # select said a handshake is done: no waiting here
    print("client connected:", addr)
    conn.setblocking(False)  # a call that would wait raises BlockingIOError instead
    sel.register(conn, selectors.EVENT_READ, data=addr)  # watch this socket too


def serve(conn, addr):
    data = conn.recv({RECV})  # select said bytes or a FIN are here: no waiting
    if data:
        print(data.decode(ENCODING, errors="replace"), addr)
        conn.send(REPLY.encode(ENCODING))  # a short reply: the send buffer has room
    else:
        print("client offline:", addr)  # b"" means the client sent FIN
        sel.unregister(conn)  # stop watching before close: its fd number is reused
        conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen({BACKLOG})
    server.setblocking(False)
    sel.register(server, selectors.EVENT_READ)  # readable: a connection to accept
    while True:
        events = sel.select()  # the one place this thread waits: for any socket
        for key, mask in events:  # only the sockets that are ready
            if key.fileobj is server:
                accept(server)
            else:
                serve(key.fileobj, key.data)
