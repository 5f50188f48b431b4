class Connection:
    def __init__(self, buffer):
        self.buffer = buffer
    def read_line(self):
        end = self.buffer.index(b"\n")
        return self.buffer[:end]
c = Connection(b"no newline here")
print(c.read_line())
