# A client that only listens, until the server closes the connection.
import socket

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    received = b""
    while True:
        data = client.recv(1024)
        if not data:
            break  # the server's side closed
        received += data
    lines = received.decode().splitlines()
    print("received " + str(len(lines)) + " lines, the last: " + lines[-1])
    client.close()
