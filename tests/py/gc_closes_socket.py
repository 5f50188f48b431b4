import socket
import threading
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
def handler(conn):
    conn.sendall(b"bye")
    # returns without conn.close(): the last reference goes, CPython closes it
def serve():
    conn, _ = srv.accept()
    t = threading.Thread(target=handler, args=(conn,))
    del conn
    t.start()
    t.join()
acceptor = threading.Thread(target=serve)
acceptor.start()
c = socket.create_connection(srv.getsockname())
acceptor.join()
print(c.recv(10))
print(c.recv(10) == b"", "peer closed")
c.close()
def make_and_drop():
    s = socket.socket()
    return s.fileno() > 0
print(make_and_drop())
conns = [socket.socket() for _ in range(3)]
conns.clear()
print("cleared")
srv.close()
