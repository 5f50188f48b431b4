# A server that takes a whole upload, however long, and only then answers.
import socket

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    conn, addr = server.accept()
    upload = b""
    while True:
        data = conn.recv(1024)
        if not data:
            break  # b"": the client shut down its sending half, the upload is complete
        upload += data
    lines = upload.decode().splitlines()
    print("upload complete: " + str(len(lines)) + " lines, " + str(len(upload)) + " bytes")
    # Our own sending half is still open: the answer can go out.
    conn.sendall(("got " + str(len(lines)) + " lines, " + str(len(upload)) + " bytes").encode())
    conn.close()
    server.close()
