# TCP 客户端：先全部发送，再一直读字节流，直到它结束。
import socket
import sys

ENCODING = "{ENCODING}"
MESSAGES = sys.argv[1:]  # 命令行上给出的消息

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    for text in MESSAGES:
        client.send(text.encode(ENCODING))  # 不等回复：一个接一个地发送
    client.shutdown(socket.SHUT_WR)  # 不再发送：发出 FIN，但仍可接收
    while True:
        reply = client.recv(1024)  # 可能拿到几条回复，也可能只拿到半条
        if not reply:
            break  # b""：服务器也关闭了
        print(reply.decode(ENCODING, errors="replace"))
    client.close()
