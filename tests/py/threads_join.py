import threading
results = {}
def worker(n, label="w"):
    total = 0
    for i in range(n):
        total += i
    results[label] = total
threads = []
for k in range(3):
    t = threading.Thread(target=worker, args=(10 * (k + 1),), kwargs={"label": f"w{k}"})
    threads.append(t)
    print(t.name, t.daemon, t.is_alive())
for t in threads:
    t.start()
for t in threads:
    t.join()
    print(t.name, "alive:", t.is_alive())
print(sorted(results.items()))
print(threading.current_thread().name, threading.active_count())
t = threading.Thread(target=print, args=("printed by a thread",), name="printer")
t.start()
t.join()
print(t.name)
try:
    t.start()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.Thread(target=print).join()
except RuntimeError as e:
    print("RuntimeError:", e)
d = threading.Thread(target=lambda: None, daemon=True)
print(d.daemon, d.name)
d.daemon = False
print(d.daemon)
