# A client that measures how long connect() takes.
import socket
import sys
import time

if __name__ == "__main__":
    name = sys.argv[1]
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    start = time.monotonic()
    client.connect(("{SERVER_IP}", {PORT}))  # returns when the handshake is done
    waited = time.monotonic() - start
    print(name, "connected after about", int(waited + 0.5), "s")
    client.sendall(name.encode())
    print(client.recv(1024).decode())
    client.close()
