import socket
s = socket.socket()
s.sendal(b"data")
