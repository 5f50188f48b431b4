def make_class(prefix):
    class Greeter:
        tag = prefix.upper()
        def greet(self, name):
            return f"{prefix}, {name} [{self.tag}]"
    return Greeter
G = make_class("hi")
print(G().greet("Ann"), G.tag, G.__qualname__)
def repeat(n):
    def deco(fn):
        def wrapper(*args, **kwargs):
            return [fn(*args, **kwargs) for _ in range(n)]
        wrapper.__name__ = fn.__name__
        return wrapper
    return deco
@repeat(3)
def shout(word):
    return word.upper()
print(shout("hey"), shout.__name__)
def logged(fn):
    calls = []
    def inner(x):
        calls.append(x)
        return fn(x), len(calls)
    return inner
@logged
def double(x):
    return 2 * x
print(double(2), double(5))
data = [3, 8, 1, 9]
if (n := len(data)) > 3:
    print("long list", n)
print([y for x in data if (y := x * 2) > 5], y)
counter = 0
def bump():
    global counter
    counter += 1
    del_me = 1
    del del_me
    return counter
bump(); bump()
print(counter)
class Node:
    def __init__(self, val, nxt=None):
        self.val, self.nxt = val, nxt
    def __len__(self):
        return 1 + (len(self.nxt) if self.nxt else 0)
    def __iter__(self):
        node = self
        while node:
            yield node.val
            node = node.nxt
lst = Node(1, Node(2, Node(3)))
print(len(lst), list(lst), sum(lst), 2 in lst)
class Base:
    @classmethod
    def create(cls, *args):
        return cls(*args)
    def __init__(self, v):
        self.v = v
class Derived(Base):
    def __init__(self, v, w=0):
        super().__init__(v)
        self.w = w
d = Derived.create(1, 2)
print(type(d).__name__, d.v, d.w)
class E(Exception):
    def __init__(self, msg, *, code=0):
        super().__init__(msg)
        self.code = code
try:
    raise E("bad", code=7)
except E as e:
    print(e, e.code, e.args)
x = 5
def f():
    return x
x = 6
print(f())
funcs = {}
for name in ["a", "b"]:
    def handler(n=name):
        return n * 2
    funcs[name] = handler
print(funcs["a"](), funcs["b"]())
