import selectors
import socket


def forget(sel, sock):
    sel.unregister(sock)


sel = selectors.DefaultSelector()
sock = socket.socket()
sel.register(sock, selectors.EVENT_READ)
forget(sel, sock)
forget(sel, sock)  # the second time it is not registered
