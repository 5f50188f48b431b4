# selectors' errors and bookkeeping, as CPython's Lib/selectors.py has them.
import selectors
import socket

sel = selectors.DefaultSelector()
s = socket.socket()  # not bound: its repr is the same every run
other = socket.socket()
gone = socket.socket()
gone.close()


def attempt(what, f):
    try:
        print(what, "->", f())
    except Exception as e:
        print(what, "->", type(e).__name__, e)


print(sel.fileno(), s.fileno(), other.fileno())
k = sel.register(s, selectors.EVENT_READ)
print(k)
attempt("register twice", lambda: sel.register(s, selectors.EVENT_READ))
attempt("events 0", lambda: sel.register(other, 0))
attempt("events 4", lambda: sel.register(other, 4))
attempt("events False", lambda: sel.register(other, False))
attempt("events str", lambda: sel.register(other, "r"))
attempt("events float", lambda: sel.register(other, 1.0))
attempt("closed socket", lambda: sel.register(gone, 1))
attempt("negative fd", lambda: sel.register(-3, 1))
attempt("not a file", lambda: sel.register("a file", 1))
attempt("bad fd", lambda: sel.register(999, 1))
attempt("no args", lambda: sel.register())
attempt("unknown keyword", lambda: sel.register(other, 1, colour=1))
attempt("two values", lambda: sel.register(other, 1, fileobj=other))
attempt("too many", lambda: sel.select(1, 2))
attempt("unregister other", lambda: sel.unregister(other))
attempt("unregister 999", lambda: sel.unregister(999))
attempt("unregister closed", lambda: sel.unregister(gone))
attempt("get_key other", lambda: sel.get_key(other))
attempt("get_key closed", lambda: sel.get_key(gone))
attempt("modify other", lambda: sel.modify(other, 1))
attempt("select str", lambda: sel.select("soon"))
print(999 in sel.get_map(), len(sel.get_map()))

# modify returns the same key when nothing changes, a new one otherwise
print(sel.modify(s, selectors.EVENT_READ) is k)
k2 = sel.modify(s, selectors.EVENT_READ, data="x")
print(k2 is k, k2.data, k2.events, sel.get_key(s) is k2)
k3 = sel.modify(s, selectors.EVENT_READ | selectors.EVENT_WRITE, "x")
print(k3.events, k3 is k2)
print(sel.modify(s, 3, "x") is k3)
print(sel.select(0)[0][1], sel.select(0)[0][0] is k3)

# a registered socket closed without unregister: select forgets it, unregister still works
sel.register(other, selectors.EVENT_WRITE, data=[1, 2])
other.close()
print([key.data for key, events in sel.select(0)])
print(sel.unregister(other).data)

# SelectorKey is a named tuple
key = selectors.SelectorKey(5, 5, 1, None)
print(key, key.fd, key[0], list(key))
print(repr(sel.get_key(s)))
print(isinstance(k, selectors.SelectorKey), type(k).__name__)

sel.close()
sel.close()
attempt("get_key after close", lambda: sel.get_key(s))
attempt("select after close", lambda: sel.select())
attempt("register after close", lambda: sel.register(s, 1))
attempt("unregister after close", lambda: sel.unregister(s))
attempt("fileno after close", lambda: sel.fileno())
print(sel.get_map())

with selectors.DefaultSelector() as sel2:
    sel2.register(s, selectors.EVENT_WRITE)
    print([(key.fd == s.fileno(), events) for key, events in sel2.select(0)])
attempt("closed by with", lambda: sel2.get_key(s))
s.close()
