import selectors
import socket

sel = selectors.DefaultSelector()
conn = socket.socket()
conn.close()
# registering a socket after closing it: its fileno() is -1
sel.register(conn, selectors.EVENT_READ, data="client")
