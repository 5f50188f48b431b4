# 回声服务器的处理函数，少了一行。你能找出来吗？
import socket
import threading
import time


def handle_client(conn):
    while True:
        data = conn.recv(1024)
        if data:
            print("收到：" + data.decode())
            conn.sendall(b"ok")
        # 这里少了 "else: break"。客户端关闭之后，recv() 每次都立即
        # 返回 b""，这个循环再也不会阻塞了。


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    conn, addr = server.accept()
    t = threading.Thread(target=handle_client, args=(conn,), daemon=True)
    t.start()
    time.sleep(0.1)  # 这个演示 0.1 秒后停下；真正的服务器会永远空转下去
    print("主线程结束：空转的守护线程随进程一起结束")
