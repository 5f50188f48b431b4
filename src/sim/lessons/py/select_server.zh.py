# 单线程的回显服务器：一个选择器同时盯着所有套接字。
import selectors
import socket

REPLY = "{REPLY}"  # 每条消息都回复这句话
ENCODING = "{ENCODING}"  # 文本如何变成字节
sel = selectors.DefaultSelector()  # 在 Linux 上就是内核里的一个 epoll 实例


def accept(server):
    conn, addr = server.accept()  # select 说已有握手完成：这里不用等
    print("客户端已连接", addr)
    conn.setblocking(False)  # 本来要等的调用改为立即抛出 BlockingIOError
    sel.register(conn, selectors.EVENT_READ, data=addr)  # 也盯着这个套接字


def serve(conn, addr):
    data = conn.recv({RECV})  # select 说字节或 FIN 已经到了：这里不用等
    if data:
        print(data.decode(ENCODING, errors="replace"), addr)
        conn.send(REPLY.encode(ENCODING))  # 回复很短：发送缓冲区放得下
    else:
        print("客户端下线了", addr)  # b"" 表示客户端发来了 FIN
        sel.unregister(conn)  # 先停止关注再 close：这个 fd 编号会被重新分配
        conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen({BACKLOG})
    server.setblocking(False)
    sel.register(server, selectors.EVENT_READ)  # 可读：有连接可以 accept
    while True:
        events = sel.select()  # 这个线程唯一等待的地方：等任意一个套接字就绪
        for key, mask in events:  # 只有已经就绪的套接字
            if key.fileobj is server:
                accept(server)
            else:
                serve(key.fileobj, key.data)
