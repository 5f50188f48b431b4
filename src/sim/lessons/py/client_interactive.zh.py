# 由你操作的 TCP 客户端：页面上的按钮把命令输入给 input()。
import socket

ENCODING = "{ENCODING}"

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    while True:
        command = input()  # "send <文本>"、"recv" 或 "close"
        if command.startswith("send "):
            client.send(command[5:].encode(ENCODING))
        elif command == "recv":
            reply = client.recv(1024)
            print(reply.decode(ENCODING, errors="replace"))
        else:
            break
    client.close()
