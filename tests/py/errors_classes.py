class Greeter:
    count = 0
    def greet():
        return "hi"
    def hello(self, name):
        return "hello " + name
    def uses_attr(self):
        return missing_attr
    def __repr__(self):
        return "<Greeter>"
g = Greeter()
tests = [
    lambda: g.greet(),
    lambda: Greeter.hello("x"),
    lambda: g.hello(),
    lambda: g.hello("a", "b"),
    lambda: g.hello(name="a", extra=1),
    lambda: g.uses_attr(),
    lambda: g.nope,
    lambda: Greeter.nope,
    lambda: Greeter(1),
    lambda: g(),
    lambda: g + 1,
    lambda: g < g,
    lambda: len(g),
    lambda: g[0],
    lambda: iter(g),
    lambda: int(g),
    lambda: [x for x in g],
    lambda: -g,
    lambda: hash([g]),
    lambda: {g: 1}[Greeter()],
    lambda: setattr(Greeter, "count", Greeter.count + "1"),
]
for t in tests:
    try:
        t()
        print("no error")
    except Exception as e:
        print(type(e).__name__ + ":", e)
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
for args in [(1,), (1, 2, 3), ()]:
    try:
        Point(*args)
    except TypeError as e:
        print(e)
class NoInit:
    pass
try:
    NoInit(5)
except TypeError as e:
    print(e)
class BadRepr:
    def __repr__(self):
        return 5
try:
    repr(BadRepr())
except TypeError as e:
    print(e)
class BadStr:
    def __str__(self):
        return None
try:
    str(BadStr())
except TypeError as e:
    print(e)
