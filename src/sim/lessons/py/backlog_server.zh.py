# 一个 backlog 很小、开始 accept 之前又在忙别的事的服务器。
import socket
import time

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(1)  # backlog 1：Linux 最多让 2 个完成了握手的连接等 accept()
    print("开始监听，backlog 为 1；第一次 accept() 之前先忙 2.5 秒")
    time.sleep(2.5)  # 在加载什么东西：这期间没有 accept()，队列被占满
    for i in range({CLIENTS}):
        conn, addr = server.accept()
        data = conn.recv(1024)
        conn.sendall(b"served: " + data)
        conn.close()
        print("已服务客户端 " + str(i + 1))
    server.close()
