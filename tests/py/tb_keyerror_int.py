table = {1: "a"}
print(table[1])
print(table[2])
