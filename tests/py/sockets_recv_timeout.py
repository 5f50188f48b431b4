import socket
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
c = socket.socket()
c.connect(srv.getsockname())
conn, _ = srv.accept()
conn.settimeout(0.2)
try:
    conn.recv(100)
except socket.timeout as e:
    print("timeout:", type(e).__name__, e)
c.sendall(b"abc")
print(conn.recv(2), conn.recv(10))
c.shutdown(socket.SHUT_WR)
print(conn.recv(10) == b"")
for s in (c, conn, srv):
    s.close()
