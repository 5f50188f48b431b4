# 一个客户端：先发一份报告，停一会儿，再发一行。
import socket
import time

REPORT = "".join(["第 " + str(i) + " 行，每个字节都按顺序到达\n" for i in range({LINES})])

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(REPORT.encode())  # 只调用一次；内核把它切成报文段
    time.sleep(1)  # 网络安静下来
    client.sendall("最后一行\n".encode())  # 一个小小的报文段
    client.shutdown(socket.SHUT_WR)  # FIN：不再发送
    print(client.recv(1024).decode())
    client.close()
