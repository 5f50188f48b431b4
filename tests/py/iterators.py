class Countdown:
    def __init__(self, start):
        self.n = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(3)))
for x in Countdown(2):
    print("tick", x)
it = iter([10, 20])
print(next(it), next(it), next(it, None))
class Bag:
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        return iter(self.items)
    def __len__(self):
        return len(self.items)
b = Bag(["a", "b"])
print(list(b), len(b), sorted(b, reverse=True), "a" in b, [x.upper() for x in b])
e = enumerate(["x", "y"], start=1)
print(next(e), list(e))
z = zip([1, 2, 3], ["a", "b"])
print(list(z), list(z))
m = map(lambda a, b: a * b, [1, 2, 3], [4, 5, 6])
print(list(m))
f = filter(lambda v: v % 2, range(10))
print(list(f), sum(filter(None, [0, 1, 2])))
r = reversed([1, 2, 3])
print(next(r), list(r))
d = {"k1": 1, "k2": 2}
print(list(reversed(d)), list(iter(d)), list(d.items())[0])
s = "héllo"
print([c for c in s], list(enumerate(s))[1])
def first_even(nums):
    for n in nums:
        if n % 2 == 0:
            return n
    return None
print(first_even([1, 3, 4, 5]), first_even([]))
print(any(c.isdigit() for c in "ab3"), all(isinstance(x, int) for x in [1, 2.0]))
print(sorted([("b", 2), ("a", 2), ("c", 1)], key=lambda kv: kv[1]))
print(max({"a": 3, "b": 7}.items(), key=lambda kv: kv[1])[0])
