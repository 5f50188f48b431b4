class Msg:
    def __init__(self, data):
        self.data = data
    def __str__(self):
        return "Msg(" + self.data.decode() + ")"
print(Msg(b"ok"))
print(Msg("not bytes"))
