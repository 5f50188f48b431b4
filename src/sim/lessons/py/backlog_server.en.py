# A server with a tiny backlog that is busy before it starts accepting.
import socket
import time

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(1)  # backlog 1: Linux lets 2 finished handshakes wait for accept()
    print("listening with backlog 1, busy for 2.5 s before the first accept()")
    time.sleep(2.5)  # loading something: no accept() meanwhile, the queue fills up
    for i in range({CLIENTS}):
        conn, addr = server.accept()
        data = conn.recv(1024)
        conn.sendall(b"served: " + data)
        conn.close()
        print("served client " + str(i + 1))
    server.close()
