import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.send("text, not bytes")
except TypeError as e:
    print("TypeError:", e)
try:
    s.bind("localhost:8080")
except TypeError as e:
    print("TypeError:", e)
try:
    s.bind(("127.0.0.1", 70000))
except OverflowError as e:
    print("OverflowError:", e)
s.close()
s.close()
try:
    s.recv(10)
except OSError as e:
    print(type(e).__name__, e.errno, e)
print(s.fileno())
c = socket.socket()
try:
    c.connect(("127.0.0.1", 1))
except ConnectionRefusedError as e:
    print("refused:", e.errno, e.strerror)
c.close()
try:
    socket.gethostbyname("no-such-host.invalid")
except socket.gaierror as e:
    print("gaierror:", e.errno, e)
print(socket.gethostbyname("localhost"), socket.gethostbyname("10.0.0.1"))
with socket.socket() as w:
    print("in with", w.fileno() > 0)
print("after with", w.fileno())
a = socket.socket()
a.settimeout(2.5)
print(a.gettimeout())
a.settimeout(None)
print(a.gettimeout())
try:
    a.settimeout(-1)
except ValueError as e:
    print("ValueError:", e)
a.close()
