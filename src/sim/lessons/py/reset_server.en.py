# A server that hangs up on its clients in two ways.
import socket
import time

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)

    # First client: close() while bytes are still unread.
    conn, addr = server.accept()
    time.sleep(0.1)  # by now both of the client's lines have arrived
    data = conn.recv(6)  # but we read only the first one
    print("read", data, "then close() with bytes unread")
    conn.close()  # unread bytes are thrown away: the kernel sends RST, not FIN

    # Second client: a normal close(), but the client keeps sending.
    conn, addr = server.accept()
    data = conn.recv(1024)
    print("read", data, "then close()")
    conn.close()  # nothing unread: FIN, the polite goodbye
    server.close()
