# 一个可以带或不带 SO_REUSEADDR 启动的服务器：python3 server.py [--reuse]
import socket
import sys

if __name__ == "__main__":
    reuse = "--reuse" in sys.argv
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if reuse:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    print("启动，SO_REUSEADDR =", reuse)
    server.bind(("", {PORT}))  # 端口还被占着，就抛出 OSError [Errno 98]
    server.listen(8)
    conn, addr = server.accept()
    conn.recv(1024)
    conn.sendall(b"served, bye")
    conn.close()  # 服务器先关闭：它这一端的连接进入 TIME-WAIT
    server.close()
    print("服务完一个客户端，并且先关闭了；退出")
