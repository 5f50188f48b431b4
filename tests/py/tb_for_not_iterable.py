n = 5
for x in n:
    print(x)
