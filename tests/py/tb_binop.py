def handler(count):
    total = "Total: " + count
    return total
print("start")
handler(3)
