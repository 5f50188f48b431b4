# 一个只听不说的客户端，直到服务器关闭连接。
import socket

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    received = b""
    while True:
        data = client.recv(1024)
        if not data:
            break  # 服务器那一端关闭了
        received += data
    lines = received.decode().splitlines()
    print("收到 " + str(len(lines)) + " 行，最后一行：" + lines[-1])
    client.close()
