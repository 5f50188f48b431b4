import socket
import threading
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
port = srv.getsockname()[1]
def serve():
    conn, _ = srv.accept()
    with conn:
        data = conn.recv(100)
        conn.sendall(data.upper())
t = threading.Thread(target=serve)
t.start()
with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
    c.sendall(b"hello via create_connection")
    print(c.recv(100), c.gettimeout())
t.join()
srv.close()
try:
    socket.create_connection(("localhost", port))
except ConnectionRefusedError as e:
    print("refused after close:", e)
