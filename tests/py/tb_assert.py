def check(resp):
    assert resp.startswith("HTTP/1.1"), f"bad response: {resp!r}"
check("HTTP/1.1 200 OK")
check("hello")
