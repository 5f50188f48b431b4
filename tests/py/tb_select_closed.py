import select
import socket

sock = socket.socket()
sock.close()
readable, writable, _ = select.select([sock], [], [], 0)
