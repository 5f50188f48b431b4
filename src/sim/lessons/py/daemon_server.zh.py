# 两个客户端，两个处理线程：第一个是守护线程，第二个不是。
import socket
import threading
import time


def talk(conn, name, parts, pause):
    for i in range(parts):
        conn.sendall((name + "：第 " + str(i + 1) + " 段，共 " + str(parts) + " 段\n").encode())
        time.sleep(pause)
    conn.sendall((name + "：讲完了\n").encode())
    print(name + " 的对话结束了")
    conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    # 第一个客户端由守护线程陪它慢慢聊很久；
    # 第二个由普通（非守护）线程简短地聊几句。
    for name, parts, pause, daemon in [("A", 8, 0.25, True), ("B", 3, 0.1, False)]:
        conn, addr = server.accept()
        t = threading.Thread(target=talk, args=(conn, name, parts, pause), daemon=daemon)
        t.start()
        print("处理线程 " + name + " 启动，daemon =", daemon)
    server.close()
    print("主线程结束")  # Python 现在要等 B，但不等 A
