def handle(conn):
    data = conn.recv(1024)
      conn.sendall(data)
