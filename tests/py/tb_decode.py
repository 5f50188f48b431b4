data = "你好".encode("utf-8")[:4]
print(data)
message = data.decode("utf-8")
