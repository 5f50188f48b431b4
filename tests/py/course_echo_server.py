# 多线程 TCP 服务器：每个客户端一个线程（端口号由系统分配，不打印）
import socket
import threading

REPLY = "收到，正在处理…"
lock = threading.Lock()
log = []

def handle_client(conn, name):
    print(f"[新连接] {name} 已连接")
    while True:
        data = conn.recv(1024)
        if not data:
            print(f"[断开] {name} 下线了")
            break
        msg = data.decode("gbk")
        with lock:
            log.append((name, msg))
        print(f"[{name}] {msg}")
        conn.send(REPLY.encode("gbk"))
    conn.close()

def serve(server, count):
    for i in range(count):
        conn, addr = server.accept()
        t = threading.Thread(target=handle_client, args=(conn, f"客户端{i + 1}"), daemon=True)
        t.start()
        t.join()

def client(port, messages):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("127.0.0.1", port))
    for m in messages:
        s.send(m.encode("gbk"))
        reply = s.recv(1024).decode("gbk")
        print("回复:", reply)
    s.close()

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(5)
port = server.getsockname()[1]
acceptor = threading.Thread(target=serve, args=(server, 2))
acceptor.start()
client(port, ["你好", "再见"])
client(port, ["hello"])
acceptor.join()
server.close()
print(len(log), log[0], log[-1])
