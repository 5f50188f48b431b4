import threading
class Handler(threading.Thread):
    def run(self):
        items = []
        print(items[0])
h = Handler()
h.start()
h.join()
print("after", h.is_alive())
