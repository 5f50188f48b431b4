import socket
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("", 8000))
print("bound")
serevr.listen(5)
