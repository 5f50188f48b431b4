# A client that visits the server once and lets the server close first.
import socket

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(b"hello")
    answer = b""
    while True:
        data = client.recv(1024)
        if not data:
            break  # b"": the server has closed (first)
        answer += data
    print("the server says: " + answer.decode())
    client.close()
