# 多进程 TCP 服务器：multiprocessing 为每个客户端 fork 一个子进程。
import multiprocessing
import os
import socket

REPLY = "{REPLY}"  # 每条消息都回复这句话
ENCODING = "{ENCODING}"  # 文本如何变成字节


def handle_client(conn, addr):
    # 在子进程里运行：它是服务器进程的副本，连 fd 也复制了一份。
    print("进程", os.getpid(), "服务", addr)
    while True:
        data = conn.recv({RECV})  # 阻塞到内核里有字节；最多 {RECV} 个
        if data:
            print(data.decode(ENCODING, errors="replace"), addr)
            conn.send(REPLY.encode(ENCODING))  # 只是拷贝进发送缓冲区
        else:
            print("客户端下线了", addr)  # b"" 表示客户端发来了 FIN
            break
    conn.close()  # 子进程的 fd：没有进程再持有这个套接字时，才发 FIN


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 让服务器重启后可以立刻再次绑定这个端口。
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen({BACKLOG})  # 内核自己应答握手，最多排队 {BACKLOG} 个
    print("服务器进程", os.getpid())
    while True:
        conn, addr = server.accept()  # 阻塞到有一次握手完成
        print("客户端已连接", addr)
        # start() 会 fork：子进程得到这个进程的一份副本，包括 fd。
        p = multiprocessing.Process(target=handle_client, args=(conn, addr))
        p.start()
        conn.close()  # 父进程的那份：删掉这一行，客户端永远等不到 FIN
