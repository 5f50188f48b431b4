data = b"hello"
text = data.encode("utf-8")
