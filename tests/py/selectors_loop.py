# An event loop with selectors: one thread serves three clients, all on
# non-blocking sockets over loopback.
import selectors
import socket

sel = selectors.DefaultSelector()
print(selectors.EVENT_READ, selectors.EVENT_WRITE, type(sel).__name__)
print(selectors.DefaultSelector is selectors.EpollSelector)
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
server.setblocking(False)
key = sel.register(server, selectors.EVENT_READ, data="listener")
print(type(key).__name__, key.fd == server.fileno(), key.events, key.data, key.fileobj is server)
print(sel.get_key(server) is key, len(key), key[3], key[-2])
fileobj, fd, events, data = key
print(fileobj is server, fd == key.fd, events, data)
print(sel.select(0), sel.select(timeout=0.001))
port = server.getsockname()[1]

clients = []
for n in range(3):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError as e:
        print("connect", n, type(e).__name__, e)
    clients.append(c)

names = {}
accepted = 0
while accepted < 3:
    for key, mask in sel.select(timeout=2):
        print("ready:", key.data, mask)
        while True:
            try:
                conn, addr = key.fileobj.accept()
            except BlockingIOError:
                break
            conn.setblocking(False)
            accepted += 1
            names[addr[1]] = "conn%d" % accepted
            sel.register(conn, selectors.EVENT_READ, data=names[addr[1]])
print("accepted", accepted, len(sel.get_map()))

# each client is writable once connected
for n, c in enumerate(clients):
    w = selectors.DefaultSelector()
    w.register(c, selectors.EVENT_WRITE)
    ready = w.select(1)
    print("client", n, "writable:", [(k.fileobj is c, m) for k, m in ready])
    w.close()
    c.send(("hello %d" % n).encode())

served = 0
while served < 3:
    events = sel.select(timeout=2)
    for key, mask in sorted(events, key=lambda e: e[0].data):
        if key.data == "listener":
            continue
        data = key.fileobj.recv(1024)
        print(key.data, "got", data, "mask", mask)
        key.fileobj.send(b"re: " + data)
        served += 1

for n, c in enumerate(clients):
    c.setblocking(True)
    print("client", n, c.recv(1024))
    c.close()

closed = 0
while closed < 3:
    for key, mask in sorted(sel.select(timeout=2), key=lambda e: e[0].data):
        data = key.fileobj.recv(1024)
        if not data:
            print(key.data, "closed by its client")
            sel.unregister(key.fileobj)
            key.fileobj.close()
            closed += 1

print(len(sel.get_map()), list(sel.get_map().values())[0].data)
sel.unregister(server)
print(len(sel.get_map()), sel.select(0))
sel.close()
print(sel.get_map())
server.close()
