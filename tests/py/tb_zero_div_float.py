sizes = [10, 0]
ratio = 1.5
for s in sizes:
    print(ratio / s)
