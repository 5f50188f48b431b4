# 一个访问一次服务器、让服务器先关闭的客户端。
import socket

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(b"hello")
    answer = b""
    while True:
        data = client.recv(1024)
        if not data:
            break  # b""：服务器已经（先）关闭了
        answer += data
    print("服务器说：" + answer.decode())
    client.close()
