import socket
s = socket.socket()
s.close()
conn, addr = s.accept()
