class Point:
    """A point."""
    dims = 2
    def __init__(self, x, y=0):
        self.x = x
        self.y = y
    def __str__(self):
        return f"({self.x}, {self.y})"
    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"
    def __eq__(self, other):
        return isinstance(other, Point) and self.x == other.x and self.y == other.y
    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)
    def __len__(self):
        return 2
    def norm2(self):
        return self.x ** 2 + self.y ** 2
    @staticmethod
    def origin():
        return Point(0, 0)
    @classmethod
    def from_tuple(cls, t):
        return cls(*t)
p = Point(3, 4)
print(p, repr(p), [p], str(p), f"{p}", f"{p!r}")
print(p.norm2(), Point.dims, p.dims, len(p), p == Point(3, 4), p != Point(1, 1), p + Point(1, 1))
print(Point.origin(), Point.from_tuple((5, 6)), type(p).__name__, type(p) is Point, isinstance(p, Point))
p.z = 9
print(p.z, hasattr(p, "z"), hasattr(p, "w"), getattr(p, "w", "default"))
setattr(p, "w", 1)
print(p.w)
Point.dims = 3
print(p.dims)
class Point3(Point):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z
    def __str__(self):
        return super().__str__() + f"+z{self.z}"
q = Point3(1, 2, 3)
print(q, q.norm2(), isinstance(q, Point), issubclass(Point3, Point), issubclass(Point, Point3), isinstance(q, (int, Point)))
class Counter:
    count = 0
    def __init__(self):
        Counter.count += 1
        self.id = Counter.count
for _ in range(3):
    Counter()
print(Counter.count, Counter().id)
class Account:
    def __init__(self, balance):
        self._balance = balance
    @property
    def balance(self):
        return self._balance
    @balance.setter
    def balance(self, v):
        if v < 0:
            raise ValueError("negative balance")
        self._balance = v
a = Account(10)
a.balance = 20
print(a.balance)
try:
    a.balance = -1
except ValueError as e:
    print("ValueError:", e)
class Empty:
    pass
e = Empty()
print(type(e).__name__, isinstance(e, object), Empty.__name__, Point.__qualname__)
class Stack:
    def __init__(self):
        self.items = []
    def push(self, x):
        self.items.append(x)
        return self
    def __iter__(self):
        return iter(self.items)
    def __contains__(self, x):
        return x in self.items
    def __getitem__(self, i):
        return self.items[i]
    def __bool__(self):
        return bool(self.items)
s = Stack().push(1).push(2)
print(list(s), 2 in s, 5 in s, s[0], bool(s), bool(Stack()), [x * 10 for x in s])
