# A TCP client: send each message, print each reply.
import socket
import sys

ENCODING = "{ENCODING}"
MESSAGES = sys.argv[1:]  # the messages given on the command line

if __name__ == "__main__":
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # connect returns once the three-way handshake is done.
    client.connect(("{SERVER_IP}", {PORT}))
    for text in MESSAGES:
        client.send(text.encode(ENCODING))  # returns once the bytes are in the send buffer
        reply = client.recv(1024)  # whatever has arrived so far, up to 1024 bytes
        print(reply.decode(ENCODING, errors="replace"))
    client.close()  # the kernel sends FIN after the queued bytes
