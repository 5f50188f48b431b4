name = input("Your name: ")
age = int(input("Age: "))
print(f"Hello {name}, next year you are {age + 1}")
while True:
    line = input("> ")
    if line == "quit":
        break
    print("echo:", line.upper())
try:
    input()
except EOFError as e:
    print("EOFError:", e)
