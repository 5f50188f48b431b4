# 一个测量 connect() 花了多久的客户端。
import socket
import sys
import time

if __name__ == "__main__":
    name = sys.argv[1]
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    start = time.monotonic()
    client.connect(("{SERVER_IP}", {PORT}))  # 握手完成才返回
    waited = time.monotonic() - start
    print(name, "大约等了", int(waited + 0.5), "秒才连上")
    client.sendall(name.encode())
    print(client.recv(1024).decode())
    client.close()
