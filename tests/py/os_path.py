import os
import os.path
from os.path import join, splitext
print(os.path.join("www", "index.html"), join("/srv", "a", "b.txt"), join("a/", "b"), join("a", "/abs"))
print(os.path.basename("/srv/www/index.html"), os.path.dirname("/srv/www/index.html"), os.path.split("a/b/c"))
print(splitext("index.html"), splitext("archive.tar.gz"), splitext(".bashrc"), splitext("noext"), splitext("dir.d/file"))
print(os.path.exists("data.txt"), os.path.isfile("data.txt"), os.path.exists("missing.html"), os.path.getsize("data.txt"))
print(os.path.abspath("x").endswith("/x"), os.path.isabs("/a") if hasattr(os.path, "isabs") else True)
def serve(path):
    local = os.path.join(".", path.lstrip("/"))
    if not os.path.isfile(local):
        return 404, b"not found"
    with open(local, "rb") as f:
        body = f.read()
    return 200, body
print(serve("/data.txt")[0], serve("/nope.html"))
