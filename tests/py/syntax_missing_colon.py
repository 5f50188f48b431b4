import socket
while True
    print("x")
