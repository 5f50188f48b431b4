# A client that meets both kinds of hang-up.
import socket
import time

if __name__ == "__main__":
    # 1. The server closes before reading everything we sent.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(b"hello\nworld\n")
    time.sleep(0.3)  # meanwhile the server read one line and closed
    try:
        print("recv:", client.recv(1024))
    except ConnectionResetError as e:
        print("recv raised ConnectionResetError: " + str(e))
    client.close()

    # 2. We keep sending after the server has closed.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(b"one\n")
    time.sleep(0.3)  # the server read it and closed: its FIN is here
    client.sendall(b"two\n")  # no error: the bytes leave, the server's kernel answers RST
    time.sleep(0.3)  # the RST arrives
    try:
        client.sendall(b"three\n")
    except BrokenPipeError as e:
        print("send raised BrokenPipeError: " + str(e))
    client.close()
