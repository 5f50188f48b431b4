def f(*a, **k):
    return a, k
print(f(*[1, 2], *"ab", **{"x": 1}, **dict(y=2)))
for g in [lambda: f(*5), lambda: print(*5), lambda: [*5], lambda: f(**5), lambda: print(**[1]), lambda: max(*3)]:
    try:
        g()
    except Exception as e:
        print(type(e).__name__, e)
