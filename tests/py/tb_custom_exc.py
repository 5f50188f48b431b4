class ProtocolError(Exception):
    def __init__(self, code):
        super().__init__(f"bad code {code}")
        self.code = code
def handle(code):
    raise ProtocolError(code)
handle(7)
