# 多线程 TCP 服务器：每个客户端一个线程。
import socket
import threading
import time

REPLY = "{REPLY}"  # 每条消息都回复这句话
ENCODING = "{ENCODING}"  # 文本如何变成字节


def handle_client(conn, addr):
    # 这个线程专门服务一个客户端，直到它下线。
    while True:
        time.sleep({SLEEP})  # 读得慢：这段时间里字节在内核里等着
        data = conn.recv({RECV})  # 阻塞到内核里有字节；最多 {RECV} 个
        if data:
            # 被 recv 切成两半的字符打印成 �。
            print(data.decode(ENCODING, errors="replace"), addr)
            conn.send(REPLY.encode(ENCODING))  # 只是拷贝进发送缓冲区
        else:
            print("客户端下线了", addr)  # b"" 表示客户端发来了 FIN
            break
    conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 让服务器重启后可以立刻再次绑定这个端口。
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen({BACKLOG})  # 内核自己应答握手，最多排队 {BACKLOG} 个
    {LOOP}
        conn, addr = server.accept()  # 阻塞到有一次握手完成
        print("客户端已连接", addr)
        # daemon=True：主线程结束时，这个线程也随之结束。
        t = threading.Thread(target=handle_client, args=(conn, addr), daemon={DAEMON})
        t.start()
