def greet(name, greeting="Hello", *args, sep=", ", **kwargs):
    return greeting + sep + name + str(args) + str(sorted(kwargs.items()))
print(greet("Ann"))
print(greet("Bo", "Hi", 1, 2, sep="! ", extra=True, a=1))
print(greet(greeting="Yo", name="Cy"))
def total(*nums):
    return sum(nums)
print(total(), total(1, 2, 3), total(*[4, 5]))
def kw(**opts):
    return opts
print(kw(a=1, b=2), kw(**{"c": 3}))
def noreturn():
    pass
print(noreturn())
def multi():
    return 1, "two", [3]
a, b, c = multi()
print(a, b, c, multi())
square = lambda x: x * x
print(square(7), (lambda: "no args")(), (lambda x, y=2: x + y)(1), list(map(lambda s: s.upper(), ["a", "b"])))
def apply(f, *args, **kwargs):
    return f(*args, **kwargs)
print(apply(max, 3, 9, 2), apply(sorted, [3, 1], reverse=True))
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(20))
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
print([fib(i) for i in range(12)])
def defaults(x, lst=[]):
    lst.append(x)
    return lst
print(defaults(1), defaults(2))
print(greet.__name__, fact.__qualname__, (lambda: 0).__name__, callable(greet), callable(3))
def kwonly(a, *, b, c=3):
    return a + b + c
print(kwonly(1, b=2), kwonly(1, b=2, c=10))
def outer():
    def inner():
        return "inner"
    return inner()
print(outer())
