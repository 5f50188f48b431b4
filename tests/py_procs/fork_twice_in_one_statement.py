# Two forks in one statement, and a child that forks again.
import os

pids = [os.fork() for _ in range(2)]
if 0 in pids:
    os._exit(0)  # the children (and the first child's own child) leave at once
for pid in pids:
    os.waitpid(pid, 0)
print("parent reaped", len(pids), "children", flush=True)
child = os.fork()
if child == 0:
    grandchild = os.fork()
    if grandchild == 0:
        print("grandchild: my parent is not the first process", os.getppid() != 0, flush=True)
        os._exit(5)
    _, status = os.waitpid(grandchild, 0)
    print("child: grandchild exit code", os.WEXITSTATUS(status), flush=True)
    os._exit(6)
_, status = os.waitpid(child, 0)
print("parent: child exit code", os.WEXITSTATUS(status), flush=True)
try:
    os.waitpid(child, 0)
except ChildProcessError as e:
    print("ChildProcessError:", e, flush=True)
