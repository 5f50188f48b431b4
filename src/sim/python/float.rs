//! Decimal text ⇄ `f64`, correctly rounded (round-half-even), as CPython's
//! `float()`, `repr(float)` and `'%.3f'` need them — written here with a
//! small big-integer so that the browser bundle does not carry std's float
//! parsing (its 10 KB power-of-five table) and formatting (Grisu and
//! Dragon4, 12 KB). Speed is secondary: the common literals take a fast
//! path, the rest a few big-integer operations.
//!
//! Exactness: every finite `f64` is `m × 2^e`, a finite decimal; its exact
//! digits are computed and rounded half-even. Parsing divides big integers
//! to 54 bits with the remainder deciding the last one. The tests compare
//! both directions with std's (correctly rounded) conversions.

use std::cmp::Ordering;

/// A non-negative integer in 32-bit limbs, least significant first.
#[derive(Clone, Debug)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(x: u64) -> Big {
        let mut b = Big(vec![x as u32, (x >> 32) as u32]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn bits(&self) -> u32 {
        match self.0.last() {
            Some(&top) => 32 * self.0.len() as u32 - top.leading_zeros(),
            None => 0,
        }
    }

    /// `self = self * m + add`.
    fn mul_add(&mut self, m: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow5(&mut self, mut n: u32) {
        while n > 0 {
            let k = n.min(13); // 5^13 < 2^32
            self.mul_add(5u32.pow(k), 0);
            n -= k;
        }
    }

    fn shl(&mut self, n: u32) {
        let (limbs, bits) = ((n / 32) as usize, n % 32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if limbs > 0 && !self.0.is_empty() {
            self.0.splice(0..0, std::iter::repeat_n(0, limbs));
        }
    }

    fn shr1(&mut self) {
        let mut carry = 0;
        for limb in self.0.iter_mut().rev() {
            let v = (*limb >> 1) | carry;
            carry = *limb << 31;
            *limb = v;
        }
        self.trim();
    }

    fn cmp(&self, o: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }

    /// `self -= o`, with `self >= o`.
    fn sub(&mut self, o: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(o.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(v < 0);
            *limb = v.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }

    /// `self /= d`, returning the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*limb);
            *limb = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    /// The decimal digits (no leading zeros; empty for 0).
    fn digits(mut self) -> Vec<u8> {
        let mut chunks = Vec::new();
        while !self.0.is_empty() {
            chunks.push(self.div_small(1_000_000_000));
        }
        let mut out = Vec::new();
        for (i, c) in chunks.iter().rev().enumerate() {
            let s = c.to_string();
            if i > 0 {
                out.extend(std::iter::repeat_n(0, 9 - s.len()));
            }
            out.extend(s.bytes().map(|b| b - b'0'));
        }
        out
    }
}

/// `a / b` when the quotient is below 2^63, and whether the remainder is
/// below, at or above half of `b`.
fn div_round(mut a: Big, b: &Big) -> (u64, Ordering) {
    let mut q = 0u64;
    if a.cmp(b) != Ordering::Less {
        let shift = a.bits() - b.bits();
        let mut d = b.clone();
        d.shl(shift);
        for i in (0..=shift).rev() {
            if a.cmp(&d) != Ordering::Less {
                a.sub(&d);
                q |= 1 << i;
            }
            d.shr1();
        }
    }
    a.shl(1);
    (q, a.cmp(b))
}

/// A decimal `digits × 10^exp10` as the nearest `f64` (ties to even).
fn to_f64(digits: &[u8], exp10: i64) -> f64 {
    if digits.is_empty() {
        return 0.0;
    }
    let magnitude = digits.len() as i64 + exp10;
    if magnitude > 310 {
        return f64::INFINITY;
    }
    if magnitude < -330 {
        return 0.0;
    }
    // Exact operands and one rounding: the fast path.
    if digits.len() <= 15 && (-22..=22).contains(&exp10) {
        let m = digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d)) as f64;
        let p = (0..exp10.unsigned_abs()).fold(1.0, |p, _| p * 10.0);
        return if exp10 >= 0 { m * p } else { m / p };
    }
    let mut num = Big(Vec::new());
    for &d in digits {
        num.mul_add(10, u32::from(d));
    }
    let mut den = Big::from_u64(1);
    if exp10 >= 0 {
        num.mul_pow5(exp10 as u32);
        num.shl(exp10 as u32);
    } else {
        den.mul_pow5((-exp10) as u32);
        den.shl((-exp10) as u32);
    }
    // q = num / (den × 2^e2) with 53 bits (fewer below the normal range).
    let mut e2 = num.bits() as i32 - den.bits() as i32 - 53;
    loop {
        let e = e2.max(-1074);
        let (a, b) = if e >= 0 {
            let mut b = den.clone();
            b.shl(e as u32);
            (num.clone(), b)
        } else {
            let mut a = num.clone();
            a.shl((-e) as u32);
            (a, den.clone())
        };
        let (mut q, half) = div_round(a, &b);
        if q >= 1 << 53 {
            e2 += 1;
            continue;
        }
        if q < 1 << 52 && e > -1074 {
            e2 -= 1;
            continue;
        }
        if half == Ordering::Greater || (half == Ordering::Equal && q & 1 == 1) {
            q += 1;
        }
        let mut e = e;
        if q == 1 << 53 {
            q >>= 1;
            e += 1;
        }
        if e > 971 {
            return f64::INFINITY;
        }
        return f64::from_bits(if q >= 1 << 52 {
            ((e + 1075) as u64) << 52 | (q & ((1 << 52) - 1))
        } else {
            q
        });
    }
}

/// Parses what Rust's `f64::from_str` accepts: `[+-]` then `inf`,
/// `infinity` or `nan` (any case), or digits with an optional `.` and an
/// optional exponent `e[+-]digits`.
pub fn parse(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let word = |w: &str| b.eq_ignore_ascii_case(w.as_bytes());
    let x = if word("inf") || word("infinity") {
        f64::INFINITY
    } else if word("nan") {
        f64::NAN
    } else {
        let mut digits = Vec::new();
        let mut exp10: i64 = 0;
        let mut seen = false;
        let mut i = 0;
        let mut frac = false;
        while let Some(&c) = b.get(i) {
            if c.is_ascii_digit() {
                seen = true;
                if !digits.is_empty() || c != b'0' {
                    digits.push(c - b'0');
                }
                exp10 -= i64::from(frac);
            } else if c == b'.' && !frac {
                frac = true;
            } else {
                break;
            }
            i += 1;
        }
        if !seen {
            return None;
        }
        if let Some(c) = b.get(i) {
            if c | 0x20 != b'e' {
                return None;
            }
            i += 1;
            let eneg = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let rest = b.get(i..).unwrap_or_default();
            if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let e = rest
                .iter()
                .fold(0i64, |n, &d| (n * 10 + i64::from(d - b'0')).min(1 << 40));
            exp10 += if eneg { -e } else { e };
        }
        // Beyond 800 digits only "more than nothing" matters (a halfway
        // point has at most 767 significant digits): keep that as a 1.
        if digits.len() > 800 {
            let sticky = digits[799..].iter().any(|&d| d != 0);
            exp10 += digits.len() as i64 - 800;
            digits.truncate(799);
            digits.push(u8::from(sticky));
        }
        while digits.last() == Some(&0) {
            digits.pop();
            exp10 += 1;
        }
        to_f64(&digits, exp10)
    };
    Some(if neg { -x } else { x })
}

/// The exact decimal value of a finite, non-zero `|x|`: digits (no leading
/// or trailing zeros) and the position of the decimal point (the value is
/// `0.d1d2… × 10^point`).
fn exact(x: f64) -> (Vec<u8>, i32) {
    let bits = x.abs().to_bits();
    let (be, frac) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (m, e) = if be == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, be - 1075)
    };
    let mut n = Big::from_u64(m);
    if e >= 0 {
        n.shl(e as u32);
    } else {
        n.mul_pow5((-e) as u32);
    }
    let mut d = n.digits();
    let point = d.len() as i32 + e.min(0);
    while d.last() == Some(&0) {
        d.pop();
    }
    (d, point)
}

/// Rounds `d` (a value `0.d… × 10^point`) to its first `n` digits, half to
/// even; a carry out of the first digit moves the point.
fn round_to(d: &mut Vec<u8>, point: &mut i32, n: i32) {
    if n < 0 {
        d.clear();
        return;
    }
    let n = n as usize;
    if d.len() <= n {
        return;
    }
    let prev_odd = n > 0 && d[n - 1] % 2 == 1;
    let up = d[n] > 5 || (d[n] == 5 && (d[n + 1..].iter().any(|&x| x != 0) || prev_odd));
    d.truncate(n);
    if up {
        let mut i = n;
        loop {
            if i == 0 {
                d.insert(0, 1);
                *point += 1;
                break;
            }
            i -= 1;
            if d[i] == 9 {
                d[i] = 0;
            } else {
                d[i] += 1;
                break;
            }
        }
    }
    while d.last() == Some(&0) {
        d.pop();
    }
}

/// `|x|` rounded to `n` significant digits: digits and point.
fn significant(x: f64, n: i32) -> (Vec<u8>, i32) {
    let (mut d, mut point) = exact(x);
    round_to(&mut d, &mut point, n);
    (d, point)
}

/// The shortest digits that read back as `|x|` (finite, non-zero), the
/// closest to it when several are as short: `repr(float)`'s digits.
pub fn shortest(x: f64) -> (Vec<u8>, i32) {
    let x = x.abs();
    let (full, point) = exact(x);
    let reads_back = |d: &[u8], p: i32| to_f64(d, i64::from(p) - d.len() as i64) == x;
    for n in 1..=17 {
        let (mut d, mut p) = (full.clone(), point);
        round_to(&mut d, &mut p, n);
        if reads_back(&d, p) {
            return (d, p);
        }
        // Where x is a power of two, the interval below it is half as wide:
        // the nearest n-digit decimal can miss while the next one up fits.
        d.resize(n as usize, 0);
        increment(&mut d, &mut p);
        if reads_back(&d, p) {
            return (d, p);
        }
    }
    (full, point)
}

/// Adds one unit in the last place of `d`.
fn increment(d: &mut Vec<u8>, point: &mut i32) {
    let mut i = d.len();
    loop {
        if i == 0 {
            d.insert(0, 1);
            *point += 1;
            break;
        }
        i -= 1;
        if d[i] == 9 {
            d[i] = 0;
        } else {
            d[i] += 1;
            break;
        }
    }
    while d.last() == Some(&0) {
        d.pop();
    }
}

fn push_digits(out: &mut String, d: &[u8]) {
    out.extend(d.iter().map(|&c| char::from(b'0' + c)));
}

/// `format!("{x:.prec$e}")` without the sign: `d.ddd` and the exponent.
pub fn sci(x: f64, prec: usize) -> (String, i32) {
    let mut m = String::new();
    if x == 0.0 {
        m.push('0');
        if prec > 0 {
            m.push('.');
            m.extend(std::iter::repeat_n('0', prec));
        }
        return (m, 0);
    }
    let (d, point) = significant(x, prec as i32 + 1);
    push_digits(&mut m, &d[..1]);
    if prec > 0 {
        m.push('.');
        push_digits(&mut m, &d[1..]);
        m.extend(std::iter::repeat_n('0', prec + 1 - d.len()));
    }
    (m, point - 1)
}

/// `format!("{x:.prec$}")` for a finite `x` (a `-` for a negative one, as
/// Rust writes it: `-0.00` included).
pub fn fixed(x: f64, prec: usize) -> String {
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    let (d, point) = if x == 0.0 {
        (Vec::new(), 0)
    } else {
        let (mut d, mut point) = exact(x);
        let n = point + prec as i32;
        round_to(&mut d, &mut point, n);
        (d, point)
    };
    if point <= 0 || d.is_empty() {
        out.push('0');
    } else {
        let int = point as usize;
        push_digits(&mut out, &d[..int.min(d.len())]);
        out.extend(std::iter::repeat_n('0', int.saturating_sub(d.len())));
    }
    if prec > 0 {
        out.push('.');
        let mut written = 0;
        if !d.is_empty() {
            for i in point..point + prec as i32 {
                if i >= 0 {
                    out.push(char::from(b'0' + d.get(i as usize).copied().unwrap_or(0)));
                } else {
                    out.push('0');
                }
                written += 1;
            }
        }
        out.extend(std::iter::repeat_n('0', prec - written));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shortest_text(x: f64) -> String {
        let (d, p) = shortest(x);
        let mut s = String::new();
        push_digits(&mut s, &d);
        format!("{s}e{}", p - 1)
    }

    fn std_shortest(x: f64) -> String {
        let s = format!("{:e}", x.abs());
        let (m, e) = s.split_once('e').unwrap();
        let digits: String = m.chars().filter(|c| *c != '.').collect();
        format!("{digits}e{e}")
    }

    fn check(x: f64) {
        if !x.is_finite() {
            return;
        }
        for prec in [0, 1, 2, 3, 6, 17, 30] {
            assert_eq!(fixed(x, prec), format!("{x:.prec$}"), "{x:e} .{prec}");
            let (m, e) = sci(x.abs(), prec);
            assert_eq!(
                format!("{m}e{e}"),
                format!("{:.prec$e}", x.abs()),
                "{x:e} .{prec}e"
            );
        }
        if x != 0.0 {
            // std's shortest digits, where two are as short and as close,
            // may take the odd one; CPython (and this) the even one.
            let (ours, std) = (shortest_text(x), std_shortest(x));
            let (d, p) = shortest(x);
            let mut text = String::from("0.");
            push_digits(&mut text, &d);
            let back: f64 = format!("{text}e{p}").parse().unwrap();
            assert_eq!(back, x.abs(), "{ours} reads back");
            assert!(ours.len() <= std.len(), "{ours} vs {std}");
            if ours != std {
                assert_eq!(ours.len(), std.len(), "{ours} vs {std}");
                let (d, _) = shortest(x);
                assert_eq!(d.last().map(|l| l % 2), Some(0), "{ours} vs {std}");
            }
        }
        let text = format!("{x:e}");
        assert_eq!(parse(&text).map(f64::to_bits), Some(x.to_bits()), "{text}");
        let text = format!("{x:.25e}");
        assert_eq!(parse(&text), text.parse().ok(), "{text}");
    }

    #[test]
    fn known_values() {
        for x in [
            0.1,
            0.5,
            1.0,
            1.5,
            2.5,
            0.125,
            1e16,
            1e22,
            1e23,
            9007199254740993.0,
            5e-324,
            2.2250738585072014e-308,
            2.225073858507201e-308,
            1.7976931348623157e308,
            123456.789,
            -0.0,
            0.0,
            2f64.powi(-1022),
            2f64.powi(1023),
            2f64.powi(-1074) * 3.0,
            1.0 / 3.0,
            100.0,
            9.5,
            0.05,
        ] {
            check(x);
            check(-x);
        }
        for p in -1074..1024 {
            check(2f64.powi(p));
        }
    }

    /// `repr()` of random floats, against CPython's.
    #[test]
    fn shortest_digits_are_cpythons() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut floats = vec![2f64.powi(-25), 5e-324, 1e23, 0.1 + 0.2];
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if f.is_finite() && f != 0.0 {
                floats.push(f);
            }
        }
        for p in -1074..1024 {
            floats.push(2f64.powi(p));
        }
        let hex: Vec<String> = floats
            .iter()
            .map(|f| format!("{:x}", f.to_bits()))
            .collect();
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import struct,sys\nfor h in sys.stdin.read().split():\n    \
                 print(repr(struct.unpack('<d', int(h, 16).to_bytes(8, 'little'))[0]))",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin
                    .take()
                    .unwrap()
                    .write_all(hex.join(" ").as_bytes())?;
                c.wait_with_output()
            })
            .expect("python3 runs");
        let want = String::from_utf8(out.stdout).unwrap();
        for (f, want) in floats.iter().zip(want.lines()) {
            assert_eq!(super::super::text::float_repr(*f), want, "{f:e}");
        }
        assert_eq!(want.lines().count(), floats.len());
    }

    #[test]
    fn parse_accepts_what_std_accepts() {
        for s in [
            "",
            ".",
            "e5",
            "1e",
            "1e+",
            "+",
            "-",
            "1.",
            ".5",
            "1.e3",
            "1..2",
            "1e5.5",
            "inf",
            "-Infinity",
            "NaN",
            "nan1",
            "0x10",
            "1_0",
            " 1",
            "00012.5000e-0003",
            "1e400",
            "1e-400",
            "4.9406564584124654e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327e-324",
            "1e99999999999999999999",
        ] {
            let ours = parse(s).map(f64::to_bits);
            let std = s.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(ours, std, "{s:?}");
        }
        // Halfway between two doubles, decided by a digit far out.
        let half = format!("9007199254740993{}", "0".repeat(900));
        assert_eq!(parse(&half), half.parse().ok());
        let above = format!("{half}1");
        assert_eq!(parse(&above), above.parse().ok());
    }

    proptest! {
        #[test]
        fn conversions_match_std(bits in any::<u64>()) {
            check(f64::from_bits(bits));
        }

        #[test]
        fn parsing_matches_std(s in "[-+]?[0-9]{0,30}(\\.[0-9]{0,30})?([eE][-+]?[0-9]{1,3})?") {
            prop_assert_eq!(parse(&s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits));
        }

        #[test]
        fn short_decimals_round_trip(m in 0u64..100_000_000_000_000_000, e in -340i32..320) {
            let s = format!("{m}e{e}");
            prop_assert_eq!(parse(&s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits));
        }
    }
}
