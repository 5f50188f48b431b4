# 一个服务器：不管上传有多长，都先全部收完，再回答。
import socket

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)
    conn, addr = server.accept()
    upload = b""
    while True:
        data = conn.recv(1024)
        if not data:
            break  # b""：客户端关闭了它的发送方向，上传结束
        upload += data
    lines = upload.decode().splitlines()
    print("上传完成：" + str(len(lines)) + " 行，" + str(len(upload)) + " 字节")
    # 我们自己的发送方向还开着：回答照样可以发出去。
    conn.sendall(("收到 " + str(len(lines)) + " 行，" + str(len(upload)) + " 字节").encode())
    conn.close()
    server.close()
