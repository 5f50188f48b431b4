# A receiver that counts bytes. Whatever the network does to the segments,
# recv() hands over the bytes complete and in order.
import socket

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    conn, addr = server.accept()
    print("client connected:", addr)
    total = 0
    while True:
        data = conn.recv(65536)  # what has arrived in order, up to 64 KB
        if not data:
            break  # b"": the client sent FIN, and every byte before it came
        total += len(data)
        print("recv:", len(data), "bytes, total", total)
    conn.sendall((str(total) + " bytes arrived, in order").encode())
    conn.close()
    server.close()
