# 一个两种“挂断”都会遇到的客户端。
import socket
import time

if __name__ == "__main__":
    # 1. 服务器还没读完我们发的东西就关闭了。
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(b"hello\nworld\n")
    time.sleep(0.3)  # 这期间服务器读了一行就关闭了
    try:
        print("recv:", client.recv(1024))
    except ConnectionResetError as e:
        print("recv 抛出 ConnectionResetError：" + str(e))
    client.close()

    # 2. 服务器关闭之后，我们还在发。
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(b"one\n")
    time.sleep(0.3)  # 服务器读完就关闭了：它的 FIN 已经到了
    client.sendall(b"two\n")  # 不报错：字节照样发出，服务器的内核回一个 RST
    time.sleep(0.3)  # RST 到了
    try:
        client.sendall(b"three\n")
    except BrokenPipeError as e:
        print("send 抛出 BrokenPipeError：" + str(e))
    client.close()
