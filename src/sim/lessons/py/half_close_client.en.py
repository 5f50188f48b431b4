# A client that uploads some lines, says "that's all", and waits for the answer.
import socket

LINES = ["first line", "second line", "third and last line"]

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    for line in LINES:
        client.sendall((line + "\n").encode())
    # FIN: "I will send nothing more". Unlike close(), we can still receive.
    client.shutdown(socket.SHUT_WR)
    print("everything sent, sending half shut down")
    answer = b""
    while True:
        data = client.recv(1024)
        if not data:
            break  # the server closed too
        answer += data
    print("the server answers: " + answer.decode())
    client.close()
