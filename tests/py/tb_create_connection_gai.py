import socket
s = socket.create_connection(("nohost.invalid", 1))
