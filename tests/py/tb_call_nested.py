def parse(s):
    return int(s)
def read_port(cfg):
    port = parse(cfg["port"])
    return port
print(read_port({"port": "8080"}))
print(read_port({"port": "80a"}))
