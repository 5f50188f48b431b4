# A static web server: one thread per connection, keep-alive.
import socket
import threading
import time
from httpmsg import parse_request, serve_static, http_date, MemoryFiles

SITE = MemoryFiles({FILES})  # the site's files, in memory


def handle_connection(conn, addr):
    # One thread per connection; a connection may carry many requests.
    buf = b""
    while True:
        # A whole request in buf? None means "not yet", not an error.
        request, used = parse_request(buf)
        if request is None:
            # TCP delivers bytes, not messages: read more.
            data = conn.recv({RECV})
            if not data:
                print(addr, "closed the connection")  # b"": the browser sent FIN
                break
            buf += data
            continue
        buf = buf[used:]
        # Find the file: 200 with it, 404 without; never outside SITE.
        reply = serve_static(request, SITE)
        print(addr, request.method, request.target, reply.status)
        keep_alive = request.keep_alive()
        # Status line, headers (Date from the clock), blank line, body.
        conn.sendall(reply.to_bytes(http_date(time.time()), keep_alive))
        if not keep_alive:
            break  # the request said Connection: close
    conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    # Port {PORT}: where http:// URLs go when they name no port.
    server.bind(("", {PORT}))
    server.listen({BACKLOG})
    while True:
        conn, addr = server.accept()
        t = threading.Thread(target=handle_connection, args=(conn, addr), daemon=True)
        t.start()
