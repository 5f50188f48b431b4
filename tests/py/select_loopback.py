# select.select over loopback: a listening socket, a connection, a client,
# all in one thread.
import select
import socket

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(5)
server.setblocking(False)
port = server.getsockname()[1]

r, w, x = select.select([server], [server], [server], 0)
print("nothing yet:", r, w, x)
try:
    server.accept()
except BlockingIOError as e:
    print("accept:", type(e).__name__, e.errno, e)

fresh = socket.socket()
r, w, x = select.select([fresh], [fresh], [], 0)
print("a fresh socket is readable and writable:", r == [fresh], w == [fresh])
fresh.close()

client = socket.socket()
client.connect(("127.0.0.1", port))
r, w, x = select.select([server], [], [], 1.5)
print("the listening socket is readable:", r == [server], w, x)
conn, addr = server.accept()
conn.setblocking(False)
print("blocking:", conn.getblocking(), client.getblocking(), conn.gettimeout())
try:
    conn.recv(10)
except BlockingIOError as e:
    print("recv:", e)
r, w, x = select.select([conn, client], [conn, client], [], 0)
print("readable:", r, "writable:", w == [conn, client])

client.send(b"hello")
r, w, x = select.select([server, conn], [], [])
print("readable:", r == [conn])
print(conn.recv(3), conn.recv(100))
try:
    conn.recv(100)
except OSError as e:
    print("drained:", type(e).__name__, e.errno)

class Wrapped:
    def __init__(self, sock):
        self.sock = sock

    def fileno(self):
        return self.sock.fileno()

conn.send(b"reply")
wrapped = Wrapped(client)
r, w, x = select.select([client.fileno(), wrapped, client, client], [], [], 2)
print(len(r), r[0] == client.fileno(), r[1] is wrapped, r[2] is client, r[3] is client)
print(client.recv(1024))

client.close()
r, w, x = select.select((conn,), [], [], None)
print("after the peer closed:", r == [conn], conn.recv(10))

for bad in [-1, 5000, "3", 2.0, None]:
    try:
        select.select([bad], [], [], 0)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for t in [-1, -0.5, "1", [1]]:
    try:
        select.select([], [], [], t)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for args in [([],), ([], [], [], 1, 2), (5, [], [])]:
    try:
        select.select(*args)
    except TypeError as e:
        print(e)
try:
    select.select([], [], [], timeout=1)
except TypeError as e:
    print(e)
print(select.select([], [], [], 0.01))
print(select.select([], [], [], 0))

conn.close()
try:
    select.select([conn], [], [], 0)
except ValueError as e:
    print("closed:", e)
print(select.error is OSError, select.EPOLLIN, select.POLLOUT)
server.close()
