a = 1
b = 0
print("ok")
z = (a + b) ** "x"
