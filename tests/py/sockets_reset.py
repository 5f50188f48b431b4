import socket
import threading
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
cli = socket.socket()
cli.connect(srv.getsockname())
conn, _ = srv.accept()
print(repr(srv).startswith("<socket.socket fd="), "laddr=('127.0.0.1'," in repr(srv), "raddr" in repr(srv), "raddr=" in repr(cli))
cli.sendall(b"unread request")
def close_without_reading():
    conn.close()
t = threading.Thread(target=close_without_reading)
t.start()
t.join()
try:
    cli.recv(100)
except ConnectionResetError as e:
    print(type(e).__name__, e.errno, e)
except OSError as e:
    print("other", e)
print(repr(conn))
cli.close()
srv.close()
print(repr(srv))
