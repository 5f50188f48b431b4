# 一个客户端：打个招呼，读回答，然后离开。
import socket

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall("你好".encode())
    print("服务器说：" + client.recv(1024).decode())
    client.close()  # FIN：从此服务器的 recv() 都返回 b""
