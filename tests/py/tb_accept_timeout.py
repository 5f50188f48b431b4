import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
s.settimeout(0.1)
conn, addr = s.accept()
