import socket
s = socket.socket()
for f in [lambda: s.bind('127.0.0.1', 8080), lambda: s.connect('localhost', 80), lambda: s.recv(), lambda: s.send(), lambda: s.listen(1, 2), lambda: s.accept(1), lambda: s.sendall('x'), lambda: s.settimeout('x'), lambda: s.setsockopt(1, 2), lambda: s.recv('x'), lambda: socket.gethostbyname(5), lambda: s.send(b'x')]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
s.close()
