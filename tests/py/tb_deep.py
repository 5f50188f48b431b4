def a(n):
    return b(n) * 2
def b(n):
    return c(n) + 1
def c(n):
    return 10 // n
print(a(5))
print(a(0))
