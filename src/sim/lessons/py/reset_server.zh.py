# 一个用两种方式“挂断”客户端的服务器。
import socket
import time

if __name__ == "__main__":
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    server.bind(("", {PORT}))
    server.listen(8)

    # 第一个客户端：接收缓冲区里还有没读的字节，就 close()。
    conn, addr = server.accept()
    time.sleep(0.1)  # 这时客户端的两行都已经到了
    data = conn.recv(6)  # 可我们只读了第一行
    print("读到", data, "后，没读完就 close()")
    conn.close()  # 没读的字节被丢掉：内核发 RST，而不是 FIN

    # 第二个客户端：正常 close()，但客户端还在继续发。
    conn, addr = server.accept()
    data = conn.recv(1024)
    print("读到", data, "后 close()")
    conn.close()  # 没有未读的字节：发 FIN，礼貌地道别
    server.close()
