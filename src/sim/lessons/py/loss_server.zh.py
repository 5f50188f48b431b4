# 一个数字节的接收方。不管网络怎样对待报文段，
# recv() 交出的字节总是完整的、按顺序的。
import socket

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    conn, addr = server.accept()
    print("客户端已连接：", addr)
    total = 0
    while True:
        data = conn.recv(65536)  # 已按顺序到达的字节，最多 64 KB
        if not data:
            break  # b""：客户端发来了 FIN，它之前的字节都到齐了
        total += len(data)
        print("recv：", len(data), "字节，累计", total)
    conn.sendall((str(total) + " 个字节按顺序全部到达").encode())
    conn.close()
    server.close()
