def make_counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
c = make_counter()
print(c(), c(), c())
c2 = make_counter()
print(c2(), c())
def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in make_adders()])
def late():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    return [f() for f in fs]
print(late())
total = 0
def add(n):
    global total
    total += n
add(5)
add(7)
print(total)
def reader():
    return total * 2
print(reader())
def outer():
    x = "outer x"
    def middle():
        def inner():
            return x
        return inner()
    return middle()
print(outer())
def shadow():
    total = "local"
    return total
print(shadow(), total)
x = "global"
def f():
    x = "enclosing"
    def g():
        return x
    x = "changed"
    return g()
print(f(), x)
def gen_squares(n):
    return [i * i for i in range(n) if i % 2 == 0]
print(gen_squares(10))
print([(i, j) for i in range(3) for j in range(i)], {i: i * i for i in range(4)}, sorted({c for c in "hello"}))
print(sum(i for i in range(101)), max(len(w) for w in ["a", "bbb", "cc"]), "".join(str(d) for d in range(5)))
y = 10
print([y + i for i in range(3)])
matrix = [[1, 2], [3, 4]]
print([row[i] for row in matrix for i in range(2)], [[r[i] for r in matrix] for i in range(2)])
