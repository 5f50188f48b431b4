# A TCP client: send everything, then read the stream until it ends.
import socket
import sys

ENCODING = "{ENCODING}"
MESSAGES = sys.argv[1:]  # the messages given on the command line

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(("{SERVER_IP}", {PORT}))
    for text in MESSAGES:
        client.send(text.encode(ENCODING))  # no waiting for replies: sends back to back
    client.shutdown(socket.SHUT_WR)  # nothing more to send: FIN goes out, we still receive
    while True:
        reply = client.recv(1024)  # may hold several replies, or half of one
        if not reply:
            break  # b"": the server closed too
        print(reply.decode(ENCODING, errors="replace"))
    client.close()
