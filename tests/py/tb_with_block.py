class Res:
    def __enter__(self):
        return self
    def __exit__(self, *a):
        print("exit called", a[0].__name__)
        return False
with Res() as r:
    value = int("x")  # conversion fails
