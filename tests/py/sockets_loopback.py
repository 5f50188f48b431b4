import socket
import threading
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(5)
port = server.getsockname()[1]
def handle(conn, n):
    while True:
        data = conn.recv(1024)
        if not data:
            print("client", n, "went offline")
            break
        text = data.decode("utf-8")
        conn.sendall(("echo:" + text).encode("utf-8"))
    conn.close()
def serve(count):
    for n in range(count):
        conn, addr = server.accept()
        print("connected", n, addr[0], type(addr[1]).__name__)
        t = threading.Thread(target=handle, args=(conn, n))
        t.start()
        t.join()
acceptor = threading.Thread(target=serve, args=(2,))
acceptor.start()
for n in range(2):
    c = socket.socket()
    c.connect(("127.0.0.1", port))
    for msg in ["hello", "你好"]:
        c.sendall(msg.encode("utf-8"))
        reply = c.recv(1024)
        print(n, reply.decode("utf-8"))
    c.close()
acceptor.join()
server.close()
print("server closed")
