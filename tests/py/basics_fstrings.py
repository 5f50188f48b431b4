name = "Ann"
age = 30
pi = 3.14159265
w = 10
print(f"{name} is {age}")
print(f"{name!r} {name!s} {name:>6} {name:<6}| {name:^7}|")
print(f"{pi:.2f} {pi:10.3f}| {pi:<10.1f}| {pi:e} {pi:.0f}")
print(f"{age:05d} {age:x} {age:#o} {age:b} {age:+} {-age:d} {age:,}")
print(f"{name:>{w}}|{pi:.{2}f}|{age:{'>'}{w}}")
print(f"{age=} {pi=:.1f} {name = }")
print(f"{{literal}} {age * 2} {'nested ' + name} {[i for i in range(3)]}")
print(f"{1_000_000:,} {1234.5678:,.2f} {0.5:.0%} {12:>5}")
d = {"k": "v"}
print(f"{d['k']} {d!r} {len(d)}")
print(f"a" f"b" "c" f"{1}")
print(f"""multi
{name}
line""")
x = None
print(f"{x} {x!r} {True} {3 > 2}")
print(f"{'中文':>6}|{'ab':*^6}|")
