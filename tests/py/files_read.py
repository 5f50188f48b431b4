f = open("data.txt")
print(f.readline(), end="")
print(f.readline().strip())
print(f.read())
f.close()
with open("data.txt", "r", encoding="utf-8") as f:
    print(f.readlines())
with open("data.txt", "rb") as f:
    raw = f.read()
print(raw, len(raw))
with open("data.txt") as f:
    for i, line in enumerate(f):
        print(i, line.rstrip())
for line in open("data.txt", encoding="utf-8"):
    print(len(line))
try:
    open("missing.txt")
except FileNotFoundError as e:
    print(type(e).__name__, e, e.errno, e.filename)
