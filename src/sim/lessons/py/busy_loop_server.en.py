# The echo server's handler, with one line missing. Can you spot it?
import socket
import threading
import time


def handle_client(conn):
    while True:
        data = conn.recv(1024)
        if data:
            print("received: " + data.decode())
            conn.sendall(b"ok")
        # Missing here: "else: break". Once the client has closed, recv()
        # returns b"" at once, every time, and this loop never blocks again.


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    conn, addr = server.accept()
    t = threading.Thread(target=handle_client, args=(conn,), daemon=True)
    t.start()
    time.sleep(0.1)  # this demo stops after 0.1 s; a real server would spin for ever
    print("main thread ends: the spinning daemon thread dies with the process")
