import threading
def handle(conn):
    print("handling", conn)
t = threading.Thread(target=handle, args=(5))
t.start()
t.join()
t2 = threading.Thread(target=handle, args=("ab"))
t2.start()
t2.join()
print("main done")
