import threading
def handle(data):
    return data.decode("utf-8")
t = threading.Thread(target=handle, args=("not bytes",))
t.start()
t.join()
print("main continues")
