# A multi-threaded TCP server: one thread per client.
import socket
import threading
import time

REPLY = "{REPLY}"  # every message gets this reply
ENCODING = "{ENCODING}"  # how text becomes bytes


def handle_client(conn, addr):
    # This thread serves one client until the client goes offline.
    while True:
        time.sleep({SLEEP})  # a slow reader: meanwhile the bytes wait in the kernel
        data = conn.recv({RECV})  # blocks until the kernel has bytes; at most {RECV}
        if data:
            # A character that recv cut in two prints as �.
            print(data.decode(ENCODING, errors="replace"), addr)
            conn.send(REPLY.encode(ENCODING))  # only copies into the send buffer
        else:
            print("client offline:", addr)  # b"" means the client sent FIN
            break
    conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Let the server bind its port again right after a restart.
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen({BACKLOG})  # the kernel answers handshakes and queues up to {BACKLOG}
    {LOOP}
        conn, addr = server.accept()  # blocks until a handshake has finished
        print("client connected:", addr)
        # daemon=True: the thread ends when the main thread ends.
        t = threading.Thread(target=handle_client, args=(conn, addr), daemon={DAEMON})
        t.start()
