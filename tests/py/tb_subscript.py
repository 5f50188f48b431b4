clients = {"alice": 1}
def lookup(name):
    return clients[name] + 1
print(lookup("alice"))
print(lookup("bob"))
