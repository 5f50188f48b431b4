import socket
import threading
def read_lines(conn):
    buf = b""
    while True:
        data = conn.recv(5)
        if not data:
            break
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line.decode()
    if buf:
        yield buf.decode()
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
def sender(port):
    c = socket.socket()
    c.connect(("127.0.0.1", port))
    c.sendall("第一行\nsecond line\nthird".encode())
    c.close()
t = threading.Thread(target=sender, args=(srv.getsockname()[1],))
t.start()
conn, _ = srv.accept()
for n, line in enumerate(read_lines(conn), 1):
    print(n, line)
t.join()
conn.close()
srv.close()
