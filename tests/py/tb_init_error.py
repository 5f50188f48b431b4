class Server:
    def __init__(self, port):
        if not isinstance(port, int):
            raise TypeError(f"port must be int, not {type(port).__name__}")
        self.port = port
s = Server("8080")
