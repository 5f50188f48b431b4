b = b"hello world"
print(b, len(b), b[0], b[-1], b[1:4], b[::-1], list(b[:3]))
print(b.upper(), b.split(), b.split(b"o"), b.strip(b"hd"), b.replace(b"o", b"0"), b.find(b"o"), b.count(b"l"))
print(b.startswith(b"he"), b.endswith(b"ld"), b"-".join([b"a", b"b"]), b.hex(), bytes.fromhex("6869"))
print(bytes(3), bytes([65, 66, 67]), bytes("abc", "ascii"), bytes("中", "utf-8"), b"a" + b"b", b"ab" * 2)
print(b"\x00\x01\xff", b"tab\t", b"quote'", b'dq"', b"both'\"", b"\\")
print("中文".encode(), "中文".encode("gbk"), "中文".encode("GB2312"), "é".encode("latin-1"), "abc".encode("ascii"))
print(b"\xe4\xb8\xad\xe6\x96\x87".decode(), b"\xd6\xd0\xce\xc4".decode("gbk"), b"caf\xe9".decode("latin-1"))
print("中文".encode("utf-8").decode("utf-8"), "中文".encode("gbk").decode("GBK"), "x".encode("UTF8").decode("utf_8"))
data = "你好".encode("utf-8")
cut = data[:4]
print(cut, cut.decode("utf-8", errors="replace"), cut.decode("utf-8", "ignore"), len(cut.decode("utf-8", "replace")))
g = "你好".encode("gbk")
print(g[:3].decode("gbk", "replace"), g[1:].decode("gbk", "replace"), g[:3].decode("gbk", errors="ignore"))
for n in range(len(data) + 1):
    print(n, data[:n].decode("utf-8", "replace"))
print(b"abc" == b"abc", b"a" in b"abc", 97 in b"abc", b"abc"[1:] == b"bc")
for x in b"hi":
    print(x, end=" ")
print()
print(int.from_bytes(b"\x01\x00", "big"), (258).to_bytes(2, "big"), (258).to_bytes(2, "little"))
