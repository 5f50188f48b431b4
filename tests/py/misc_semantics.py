import sys
try:
    int("x")
except:
    print("bare except caught", sys.exc_info is not None if hasattr(sys, "exc_info") else True)
print("flushed", flush=True)
class P:
    def __init__(self, x):
        self.x = x
    def __eq__(self, o):
        return self.x == o.x
try:
    {P(1): 1}
except TypeError as e:
    print("TypeError:", e)
class H:
    def __init__(self, x):
        self.x = x
    def __hash__(self):
        return hash(self.x)
    def __eq__(self, o):
        return self.x == o.x
print(len({H(1), H(2)}), H(1) in [H(1)])
o = P(3)
del o.x
print(hasattr(o, "x"))
nums = [0, 1, 2, 3, 4, 5]
del nums[1:3]
print(nums)
flags = 0
flags |= 4
flags |= 1
print(flags, flags & 4 == 4, bool(flags & 2))
def outer():
    def inner():
        global G
        G = "set in inner"
    inner()
outer()
print(G)
x = 10
def shadowed():
    x = 5
    return x
print(shadowed(), x)
print([i for i in range(5) if i % 2 == 0 if i > 0], [a + b for a in "ab" for b in "12"])
print(*range(3), sep="|")
print(type(lambda: 0).__name__, type(print).__name__, type(P).__name__, type(P(1).__init__).__name__)
s = "a,b;c d"
for sep in [",", ";", " "]:
    s = s.replace(sep, "|")
print(s.split("|"))
print("%-8s|%8s|" % ("left", "right"), f"{'x':-^7}", "{:>{}}".format("w", 4))
t = 1, 2
print(t, type(t).__name__, (1), (1,), ((1, 2), 3)[0][1])
a = b = []
a.append(1)
print(b, a is b)
print(10 if x > 5 else 0, "ok" if not [] else "no")
n = None
print(n or "default", n is None, n == None)
print(1 < 2 < 3 > 2, 1 == 1 != 2, "a" < "b" < "c")
big = 2 ** 62
print(big, big - 1, -big, big // 3, big % 7)
print(round(3.14159, 3), round(-1.5), round(1.45, 1), int(1e18), float(2 ** 53))
print(10 / 4, 10 // 4, -10 // 4, 10 % -4, 2 ** 0.5 * 2 ** 0.5)
print(True and 3, False or "", not None, [] or {} or ())
print("done")
