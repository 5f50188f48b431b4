# The main thread blocks in select until client threads connect and send.
import select
import selectors
import socket
import threading
import time

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen()
port = server.getsockname()[1]


def client(n):
    time.sleep(0.1 * (n + 1))
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(("client %d" % n).encode())
    c.recv(100)  # wait for the reply
    c.close()


threads = [threading.Thread(target=client, args=(n,)) for n in range(3)]
for t in threads:
    t.start()
sel = selectors.DefaultSelector()
sel.register(server, selectors.EVENT_READ)
served = 0
while served < 3:
    for key, mask in sel.select():  # no timeout: blocks until something is ready
        if key.fileobj is server:
            conn, addr = server.accept()
            print("accepted a client:", addr[0])
            sel.register(conn, selectors.EVENT_READ)
            continue
        data = key.fileobj.recv(100)
        if data:
            print("got", data.decode())
            key.fileobj.sendall(b"ok")
        else:
            sel.unregister(key.fileobj)
            key.fileobj.close()
            served += 1
for t in threads:
    t.join()
start = time.monotonic()
print("nothing more:", select.select([server], [], [], 0.25))
print("waited at least the timeout:", time.monotonic() - start >= 0.25)
sel.close()
server.close()
