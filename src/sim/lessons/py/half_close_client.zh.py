# 一个客户端：上传几行，说一声“就这些”，然后等回答。
import socket

LINES = ["第一行", "第二行", "第三行，也是最后一行"]

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    for line in LINES:
        client.sendall((line + "\n").encode())
    # FIN：“我不会再发了”。和 close() 不同，我们还能接收。
    client.shutdown(socket.SHUT_WR)
    print("全部发完，关闭了发送方向")
    answer = b""
    while True:
        data = client.recv(1024)
        if not data:
            break  # 服务器也关闭了
        answer += data
    print("服务器回答：" + answer.decode())
    client.close()
