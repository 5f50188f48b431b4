#!/usr/bin/env python3
"""Writes src/sim/python/case_data.rs: CPython's case mappings and the
case-ignorable property, for str.lower/upper/title/capitalize/swapcase/
casefold and the final-sigma rule, as compact tables.

Run with the CPython the interpreter follows (3.11: Unicode 14.0.0):
    python3 scripts/gen_case_tables.py > src/sim/python/case_data.rs
Each single-character mapping is a run (first char, count, step 1 or 2,
the same code point delta for all) stored as LEB128 varints: the gap since
the previous run's end, count*2 + step-1, the zigzag delta. Mappings to
several characters are listed as "<char><mapping>" entries joined by NUL.
"""
import sys
import unicodedata

CHARS = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000]


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) if n >= 0 else ((-n) << 1) - 1


def table(f, base):
    """Runs of single-char mappings where f(c) differs from base(c), and the
    multi-char ones."""
    single, multi = [], []
    for c in CHARS:
        ch = chr(c)
        m = f(ch)
        if m == base(ch):
            continue
        if len(m) == 1:
            single.append((c, ord(m) - c))
        else:
            multi.append((c, m))
    runs, i = [], 0
    while i < len(single):
        c, d = single[i]
        best = (i, 1)
        for step in (1, 2):
            j = i
            while (j + 1 < len(single) and single[j + 1][0] == single[j][0] + step
                   and single[j + 1][1] == d):
                j += 1
            if j > best[0]:
                best = (j, step)
        j, step = best
        runs.append((c, j - i + 1, step, d))
        i = j + 1
    out, prev = bytearray(), 0
    for c, n, step, d in runs:
        out += varint(c - prev) + varint(n * 2 + step - 1) + varint(zigzag(d))
        prev = c + (n - 1) * step + 1
    return bytes(out), "\0".join(chr(c) + m for c, m in multi)


def cased(ch):
    return ch.islower() or ch.isupper() or ch.istitle()


def ignorable(ch):
    # Final sigma: "<cased> <case-ignorable>* Σ" lowers to ς, so a
    # character between decides whether it is skipped.
    if cased(ch):
        return ("1" + ch + "\u03a3").lower()[-1] == "\u03c3"
    return ("A" + ch + "\u03a3").lower()[-1] == "\u03c2"


def ranges(pred):
    out, prev, start = bytearray(), 0, None
    for c in CHARS + [0x110000]:
        p = c < 0x110000 and pred(chr(c))
        if p and start is None:
            start = c
        if not p and start is not None:
            out += varint(start - prev) + varint(c - start)
            prev, start = c, None
    return bytes(out)


def rust_bytes(name, b):
    lines = [f"pub(super) const {name}: &[u8] = &["]
    for i in range(0, len(b), 20):
        lines.append("    " + ", ".join(str(x) for x in b[i:i + 20]) + ",")
    lines.append("];")
    return "\n".join(lines)


def rust_str(name, s):
    return f"pub(super) const {name}: &str = {rust_escape(s)};"


def rust_escape(s):
    out = '"'
    for ch in s:
        if ch == "\0":
            out += "\\0"
        elif ch in '"\\':
            out += "\\" + ch
        elif ch.isprintable() and not unicodedata.combining(ch):
            out += ch
        else:
            out += "\\u{%x}" % ord(ch)
    return out + '"'


same = lambda ch: ch
lower, lower_multi = table(str.lower, same)
upper, upper_multi = table(str.upper, same)
title, title_multi = table(str.title, str.upper)
fold, fold_multi = table(str.casefold, str.lower)

print(f"""//! CPython {sys.version.split()[0]}'s case tables (Unicode {unicodedata.unidata_version}),
//! written by `scripts/gen_case_tables.py`: do not edit. See `case.rs`.
""")
print(rust_bytes("LOWER", lower))
print(rust_str("LOWER_MULTI", lower_multi))
print(rust_bytes("UPPER", upper))
print(rust_str("UPPER_MULTI", upper_multi))
print("/// Where `title()` differs from `upper()`.")
print(rust_bytes("TITLE", title))
print(rust_str("TITLE_MULTI", title_multi))
print("/// Where `casefold()` differs from `lower()`.")
print(rust_bytes("FOLD", fold))
print(rust_str("FOLD_MULTI", fold_multi))
print("/// Case-ignorable characters (for the final sigma), as (gap, length) ranges.")
print(rust_bytes("IGNORABLE", ranges(ignorable)))
