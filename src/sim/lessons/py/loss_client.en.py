# A client that sends a report, pauses, then sends one more line.
import socket
import time

REPORT = "".join(["line " + str(i) + ", every byte arrives in order\n" for i in range({LINES})])

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    client.sendall(REPORT.encode())  # one call; the kernel cuts it into segments
    time.sleep(1)  # the network goes quiet
    client.sendall("one last line\n".encode())  # a single small segment
    client.shutdown(socket.SHUT_WR)  # FIN: nothing more to send
    print(client.recv(1024).decode())
    client.close()
