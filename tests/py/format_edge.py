vals = [0, 1, -1, 7, 255, -255, 1234567, 3.0, -2.5, 0.1, 1e-7, 123456789.123, 1e22, float("inf"), float("-inf"), float("nan"), -0.0]
specs = ["", "5", "<6", "^7", ">8", "=+8", "+", " ", "08.2f", ".3", ".3g", "e", ".2e", "%", ",", "_", "#x", "#o", "#b", "x", "X", "c", "g", "G", ".0f", "10.4f", "-^9.1f", "n"]
for v in vals:
    row = []
    for s in specs:
        try:
            row.append(format(v, s))
        except (ValueError, TypeError, OverflowError) as e:
            row.append(type(e).__name__)
    print(repr(v), "|".join(row))
for s in ["", "10", "<10", "^10", ">10", ".2", "*^9", "s", "d", "=10"]:
    try:
        print(repr(format("héllo", s)))
    except ValueError as e:
        print("ValueError", e)
print(format(True, ""), format(True, "d"), format(False, ">6"), format(None, ""), f"{None!r:>6}")
print("%5.1f|%-6d|%+.2e|%06.2f|%x|%o|%c|%5s|%.1s|%%|%r" % (3.14159, 42, 12345.678, -1.5, 3054, 8, 97, "ab", "xyz", "q"))
print("%(a)s-%(b)05.1f" % {"a": "k", "b": 2.25}, "%s %s" % ("a", [1, 2]), "%d%%" % 50)
for t in ["0", "-0", "+5", "  12  ", "1_000", "0b101", "0o17", "0x1F", "1e3", "١٢", "12_", "_1", "--1", "0_0", ""]:
    try:
        print(repr(t), int(t, 0) if t.startswith("0") and len(t) > 1 and t[1] in "box" else int(t))
    except ValueError as e:
        print("ValueError", e)
for t in ["1.5", "-.5", "5.", "1e-3", "1E+3", "inf", "-Infinity", "nan", "1_0.5", "1.2.3", "abc", " 7 "]:
    try:
        print(repr(t), float(t))
    except ValueError as e:
        print("ValueError", e)
print(str(1e16), str(1.0e15), str(123e-20), str(2.0**70), str(-1.5e-9), repr(0.1 * 3), 1/3 * 3)
print(round(0.5), round(1.5), round(2.5), round(-0.5), round(0.125, 2), round(0.375, 2), round(2.675, 2), round(1e20, -19))
