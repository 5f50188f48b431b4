def numbers(limit):
    n = 0
    while True:
        yield 10 // (limit - n)
        n += 1
for v in numbers(3):
    print(v)
