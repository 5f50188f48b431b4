# os.fork: the child gets a copy of the parent's memory; waitpid reaps it.
import os

counter = 10
items = ["a", "b"]
print("before fork", flush=True)
pid = os.fork()
if pid == 0:
    counter += 1
    items.append("child")
    print("child: counter", counter, items, flush=True)
    print("child: my parent is the one that forked me", os.getppid() > 0, flush=True)
    os._exit(3)
else:
    done, status = os.waitpid(pid, 0)
    print("parent: reaped", done == pid, "exit code", os.WEXITSTATUS(status), os.WIFEXITED(status), flush=True)
    print("parent: counter", counter, items, flush=True)
    print("parent: child pid differs", pid != os.getpid(), flush=True)
