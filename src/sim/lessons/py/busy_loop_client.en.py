# A client that says hello, reads the answer and leaves.
import socket

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall("hello".encode())
    print("the server says: " + client.recv(1024).decode())
    client.close()  # FIN: from now on the server's recv() returns b""
