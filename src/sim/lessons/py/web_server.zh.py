# 静态网站服务器：每个连接一个线程，支持 keep-alive。
import socket
import threading
import time
from httpmsg import parse_request, serve_static, http_date, MemoryFiles

SITE = MemoryFiles({FILES})  # 网站的文件，放在内存里


def handle_connection(conn, addr):
    # 每个连接一个线程；一个连接上可以有多个请求。
    buf = b""
    while True:
        # buf 里有完整的请求吗？None 表示“还没有”，不是错误。
        request, used = parse_request(buf)
        if request is None:
            # TCP 交付的是字节，不是消息：接着读。
            data = conn.recv({RECV})
            if not data:
                print(addr, "关闭了连接")  # b""：浏览器发来了 FIN
                break
            buf += data
            continue
        buf = buf[used:]
        # 找文件：找到回 200，找不到回 404；绝不越出 SITE。
        reply = serve_static(request, SITE)
        print(addr, request.method, request.target, reply.status)
        keep_alive = request.keep_alive()
        # 状态行、响应头（Date 取自时钟）、空行、响应体。
        conn.sendall(reply.to_bytes(http_date(time.time()), keep_alive))
        if not keep_alive:
            break  # 请求里写了 Connection: close
    conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    # {PORT} 端口：http:// 网址不写端口时就连这里。
    server.bind(("", {PORT}))
    server.listen({BACKLOG})
    while True:
        conn, addr = server.accept()
        t = threading.Thread(target=handle_connection, args=(conn, addr), daemon=True)
        t.start()
