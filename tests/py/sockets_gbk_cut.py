import socket
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
cli = socket.socket()
cli.connect(srv.getsockname())
conn, addr = srv.accept()
message = "收到消息"
cli.sendall(message.encode("gbk"))
part1 = conn.recv(3)
part2 = conn.recv(100)
print(part1, part2)
print(part1.decode("gbk", errors="replace"), part2.decode("gbk", errors="replace"))
print((part1 + part2).decode("gbk"))
try:
    part1.decode("gbk")
except UnicodeDecodeError as e:
    print(e)
cli.sendall(message.encode("utf-8"))
p = conn.recv(4)
print(p.decode("utf-8", "replace"), p.decode("utf-8", "ignore"))
try:
    p.decode("utf-8")
except UnicodeDecodeError as e:
    print(e, e.start, e.end, e.reason)
rest = conn.recv(100)
print((p + rest).decode())
cli.close()
conn.close()
srv.close()
