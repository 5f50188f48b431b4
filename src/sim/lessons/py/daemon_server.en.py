# Two clients, two handler threads: the first a daemon, the second not.
import socket
import threading
import time


def talk(conn, name, parts, pause):
    for i in range(parts):
        conn.sendall((name + ": part " + str(i + 1) + " of " + str(parts) + "\n").encode())
        time.sleep(pause)
    conn.sendall((name + ": done\n").encode())
    print(name + " finished its conversation")
    conn.close()


if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    # The first client gets a long, slow conversation in a daemon thread;
    # the second a short one in an ordinary (non-daemon) thread.
    for name, parts, pause, daemon in [("A", 8, 0.25, True), ("B", 3, 0.1, False)]:
        conn, addr = server.accept()
        t = threading.Thread(target=talk, args=(conn, name, parts, pause), daemon=daemon)
        t.start()
        print("handler " + name + " started, daemon =", daemon)
    server.close()
    print("main thread done")  # Python now waits for B, but not for A
