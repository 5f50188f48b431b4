class Sock:
    def send(self, data):
        return len(data)
s = Sock()
print(s.send(b"x"))
s.send(b"x", 0)
