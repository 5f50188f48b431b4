d = {"a": 1, "b": 2}
d["c"] = 3
print(d, d["a"], d.get("z"), d.get("z", 0), len(d), "a" in d, "z" not in d)
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.pop("a"), d.pop("zz", "default"), d)
print(d.setdefault("b", 100), d.setdefault("new", []), d)
d.update({"x": 9}, y=10)
d.update([("p", 1)])
print(d)
e = d.copy()
e["b"] = -1
print(d["b"], e["b"])
for k in d:
    print(k, end=" ")
print()
for k, v in d.items():
    print(k, v, end="; ")
print()
print({k: v * 2 for k, v in [("a", 1), ("b", 2)]}, dict(a=1, b=2), dict([(1, "x")]), dict(zip("ab", [1, 2])))
counts = {}
for ch in "hello":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
print(d.popitem(), d)
del d["b"]
print(d)
d.clear()
print(d, {} == d)
nested = {"k": {"inner": [1, 2]}}
nested["k"]["inner"].append(3)
print(nested, {1: "int", 1.0: "float", True: "bool"})
print({(1, 2): "tuple key"}[(1, 2)], dict.fromkeys("ab", 0), {**{"a": 1}, "b": 2})
s = {3, 1, 2}
s.add(4)
s.discard(10)
print(sorted(s), len(s), 1 in s, sorted(s | {9}), sorted(s & {1, 2}), sorted(s - {1}), sorted({1, 2} ^ {2, 3}))
print(set(), sorted(set("aab")), {x % 3 for x in range(10)} == {0, 1, 2}, {1, 2} <= {1, 2, 3})
