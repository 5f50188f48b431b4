def send(sock, data):
    return sock.sendall(data)
send(None, b"x")
