def risky(n):
    if n == 0:
        raise ValueError("zero!")
    if n == 1:
        raise KeyError("one")
    if n == 2:
        raise TypeError
    return n
for n in range(4):
    try:
        r = risky(n)
    except (ValueError, KeyError) as e:
        print("caught", type(e).__name__, e, e.args)
    except TypeError:
        print("bare type error")
    else:
        print("no error", r)
    finally:
        print("finally", n)
def nested():
    try:
        try:
            raise ValueError("inner")
        except ValueError:
            print("handling inner")
            raise
    except ValueError as e:
        print("re-raised:", e)
nested()
def finally_return():
    try:
        return "from try"
    finally:
        print("finally runs before return")
print(finally_return())
def finally_override():
    try:
        return 1
    finally:
        return 2
print(finally_override())
def loop_finally():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
            print("body", i)
        finally:
            print("cleanup", i)
loop_finally()
class MyError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code
try:
    raise MyError(42, "custom failure")
except MyError as e:
    print(type(e).__name__, e.code, e, e.args, isinstance(e, Exception))
class Plain(Exception):
    pass
try:
    raise Plain("a", 1)
except Exception as e:
    print(repr(e), str(e), e.args)
try:
    raise Plain
except Plain as e:
    print("class raised:", repr(e), str(e) == "")
try:
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise RuntimeError("wrapped") from e
except RuntimeError as e:
    print(e, type(e.__cause__).__name__, e.__cause__)
try:
    try:
        {}["k"]
    except KeyError:
        raise ValueError("during")
except ValueError as e:
    print(e, repr(e.__context__))
try:
    raise OSError(104, "Connection reset by peer")
except ConnectionResetError as e:
    print("mapped:", type(e).__name__, e.errno, e.strerror, e)
try:
    raise ConnectionRefusedError(111, "Connection refused")
except OSError as e:
    print(type(e).__name__, e.errno, e, isinstance(e, ConnectionError))
try:
    raise TimeoutError("timed out")
except OSError as e:
    print(type(e).__name__, e, e.errno)
try:
    [][0]
except LookupError as e:
    print("LookupError catches", type(e).__name__)
try:
    pass
except Exception:
    print("no")
else:
    print("else without exception")
def gen_errors():
    errors = []
    for f in (lambda: 1 / 0, lambda: [][1], lambda: int("x")):
        try:
            f()
        except Exception as e:
            errors.append(type(e).__name__)
    return errors
print(gen_errors())
try:
    raise SystemExit(3)
except SystemExit as e:
    print("SystemExit code", e.code)
try:
    raise
except RuntimeError as e:
    print(e)
e = "still here"
try:
    1 / 0
except ZeroDivisionError as e:
    pass
try:
    print(e)
except NameError as err:
    print("NameError:", err)
