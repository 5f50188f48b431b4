raw = (b"GET /index.html?lang=zh&x=1 HTTP/1.1\r\n"
       b"Host: www.example.test:8080\r\n"
       b"User-Agent: Mozilla/5.0\r\n"
       b"Accept: text/html\r\n"
       b"\r\n")
text = raw.decode("iso-8859-1")
head, _, body = text.partition("\r\n\r\n")
lines = head.split("\r\n")
method, target, version = lines[0].split(" ")
headers = {}
for line in lines[1:]:
    key, _, value = line.partition(":")
    headers[key.strip().lower()] = value.strip()
path, _, query = target.partition("?")
params = dict(p.split("=", 1) for p in query.split("&") if p)
print(method, path, version, params)
print(headers)
host, _, port = headers["host"].partition(":")
print(host, int(port) if port else 80, repr(body))
status = 200 if path.endswith(".html") else 404
reason = {200: "OK", 404: "Not Found"}[status]
content = "<h1>你好</h1>".encode("utf-8")
response = (f"HTTP/1.1 {status} {reason}\r\n"
            f"Content-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(content)}\r\n"
            "Connection: keep-alive\r\n\r\n").encode("ascii") + content
print(response)
print(len(response), response.split(b"\r\n")[0], response.count(b"\r\n"))
for name, value in sorted(headers.items()):
    print(f"{name:>12}: {value}")
