def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "done"
print(list(count_up(4)), sum(count_up(5)))
g = count_up(2)
print(g.__class__.__name__, next(g), next(g), next(g, "end"))
for x in count_up(3):
    print("x", x)
def pairs(items):
    for i, item in enumerate(items):
        yield i, item
print(dict(pairs("ab")))
def chain(*its):
    for it in its:
        yield from it
print(list(chain([1, 2], (3,), "ab")))
def echo():
    received = yield "ready"
    while True:
        received = yield f"got {received}"
e = echo()
print(next(e), e.send("a"), e.send("b"))
def lazy():
    print("start")
    yield 1
    print("middle")
    yield 2
    print("end")
it = lazy()
print("created")
for v in it:
    print("value", v)
print(any(print("checking", n) or n > 1 for n in [1, 2, 3]))
gen = (n * n for n in range(5))
print(next(gen), list(gen), list(gen))
print(sum(x for x in range(101)), max(len(w) for w in "a bb ccc".split()), ", ".join(str(i) for i in range(3)))
def lines(text):
    buf = ""
    for ch in text:
        if ch == "\n":
            yield buf
            buf = ""
        else:
            buf += ch
    if buf:
        yield buf
print(list(lines("one\ntwo\nthree")))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])
def inner():
    yield 1
    raise ValueError("inside generator")
try:
    for v in inner():
        print("got", v)
except ValueError as err:
    print("caught", err)
print(list(zip(count_up(3), "abc")), sorted(count_up(3), reverse=True))
squares = (i * i for i in range(3))
print(type(squares).__name__, 4 in squares)
