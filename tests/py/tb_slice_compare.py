items = [3, "a", 1]
items.sort()
