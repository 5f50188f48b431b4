# TCP 客户端：发送每条消息，打印每个回复。
import socket
import sys

ENCODING = "{ENCODING}"
MESSAGES = sys.argv[1:]  # 命令行上给出的消息

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 三次握手完成后 connect 才返回。
    client.connect(("{SERVER_IP}", {PORT}))
    for text in MESSAGES:
        client.send(text.encode(ENCODING))  # 字节进了发送缓冲区，send 就返回
        reply = client.recv(1024)  # 目前已到达的字节，最多 1024 个
        print(reply.decode(ENCODING, errors="replace"))
    client.close()  # 内核在排队的字节之后发 FIN
