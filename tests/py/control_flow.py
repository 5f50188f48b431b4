for i in range(3):
    if i == 0:
        print("zero")
    elif i == 1:
        print("one")
    else:
        print("other")
n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    if n == 4:
        break
    print("n", n)
else:
    print("not reached")
for x in [1, 2]:
    pass
else:
    print("for-else ran", x)
for x in []:
    print("never")
else:
    print("empty for-else")
i = 0
while i < 3:
    i += 1
else:
    print("while-else", i)
for c in "hi":
    for d in (1, 2):
        if d == 2:
            break
        print(c, d)
for k, v in {"a": 1, "b": 2}.items():
    print(k, v)
for k in {"x": 1}.keys():
    print(k)
for v in {"x": 1}.values():
    print(v)
for i, (a, b) in enumerate([(1, 2), (3, 4)]):
    print(i, a, b)
for a, b in zip("xy", [10, 20, 30]):
    print(a, b)
for t in (1, 2), (3, 4):
    print(t)
assert 1 + 1 == 2, "math works"
try:
    assert 1 > 2, "one is not greater"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("bare assert:", repr(e))
x = 5
del x
try:
    print(x)
except NameError as e:
    print(e)
if not []:
    print("empty list is falsy")
while True:
    break
print("done")
