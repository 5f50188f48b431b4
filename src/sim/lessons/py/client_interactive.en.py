# A TCP client you drive: the page's buttons type its commands into input().
import socket

ENCODING = "{ENCODING}"

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    while True:
        command = input()  # "send <text>", "recv" or "close"
        if command.startswith("send "):
            client.send(command[5:].encode(ENCODING))
        elif command == "recv":
            reply = client.recv(1024)
            print(reply.decode(ENCODING, errors="replace"))
        else:
            break
    client.close()
