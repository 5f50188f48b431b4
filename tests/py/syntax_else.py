x = 1
if x > 0:
    print("pos")
print("between")
else:
    print("neg")
