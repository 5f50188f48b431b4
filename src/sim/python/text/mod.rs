//! Turning values into text: `str`, `repr`, `repr(float)`, format specs,
//! `%`-formatting and `str.format`, as CPython 3.11 does them.

use super::builtins as bi;
use super::float;
use super::os::{OsCall, OsValue};
use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os};
use crate::pyrepr::{py_bytes_repr, py_str_repr};
use std::rc::Rc;

mod format_spec;
mod percent;
mod repr;
mod round;
mod str_format;
#[cfg(test)]
mod tests;

/// CPython's `repr(float)`: the shortest digits that round-trip, in
/// scientific notation when the exponent is < -4 or >= 16.
pub fn float_repr(x: f64) -> String {
    if !x.is_finite() {
        return nonfinite(x, false);
    }
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return out;
    }
    let (digits, decpt) = float::shortest(x);
    let digit = |i: usize| char::from(b'0' + digits.get(i).copied().unwrap_or(0));
    let exp = decpt - 1;
    let nd = digits.len() as i32;
    if !(-4..16).contains(&exp) {
        out.push(digit(0));
        if nd > 1 {
            out.push('.');
            out.extend((1..nd as usize).map(digit));
        }
        push_exp(&mut out, exp);
    } else if decpt <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', -decpt as usize));
        out.extend((0..nd as usize).map(digit));
    } else {
        out.extend((0..decpt.max(nd) as usize).map(digit));
        if decpt >= nd {
            out.push_str(".0");
        } else {
            out.insert(out.len() - (nd - decpt) as usize, '.');
        }
    }
    out
}

/// `e+05`, `e-10`: Python's exponent, a sign and at least two digits.
fn push_exp(out: &mut String, exp: i32) {
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    if exp.abs() < 10 {
        out.push('0');
    }
    out.push_str(&exp.abs().to_string());
}

/// `x` as `-d.ddd` with `prec` decimals, and its exponent.
fn sci(x: f64, prec: usize) -> (String, i32) {
    let (m, e) = float::sci(x.abs(), prec);
    (
        if x.is_sign_negative() {
            format!("-{m}")
        } else {
            m
        },
        e,
    )
}

/// `'%.{prec}e'` in Python's form (exponent with a sign and two digits).
fn fmt_e(x: f64, prec: usize, upper: bool) -> String {
    if !x.is_finite() {
        return nonfinite(x, upper);
    }
    let (mut r, e) = sci(x, prec);
    push_exp(&mut r, e);
    if upper {
        r.to_ascii_uppercase()
    } else {
        r
    }
}

fn nonfinite(x: f64, upper: bool) -> String {
    let s = if x.is_nan() {
        "nan"
    } else if x > 0.0 {
        "inf"
    } else {
        "-inf"
    };
    if upper {
        s.to_ascii_uppercase()
    } else {
        s.into()
    }
}

fn fmt_f(x: f64, prec: usize, upper: bool) -> String {
    if !x.is_finite() {
        return nonfinite(x, upper);
    }
    float::fixed(x, prec)
}

/// `'%g'`: `prec` significant digits; `alt` keeps trailing zeros;
/// `repr_like` (format type '') keeps at least one digit after the point.
fn fmt_g(x: f64, prec: usize, upper: bool, alt: bool, repr_like: bool) -> String {
    if !x.is_finite() {
        return nonfinite(x, upper);
    }
    let p = prec.max(1);
    if x == 0.0 {
        let mut s = if x.is_sign_negative() {
            "-0".to_string()
        } else {
            "0".to_string()
        };
        if alt {
            s.push('.');
            for _ in 1..p {
                s.push('0');
            }
        } else if repr_like {
            s.push_str(".0");
        }
        return s;
    }
    let (m, exp) = sci(x, p - 1);
    let strip = |s: String| -> String {
        if alt || !s.contains('.') {
            return s;
        }
        let t = s.trim_end_matches('0');
        t.trim_end_matches('.').to_string()
    };
    if exp >= -4 && exp < p as i32 {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let mut s = strip(float::fixed(x, decimals));
        if repr_like && !s.contains('.') {
            s.push_str(".0");
        }
        s
    } else {
        let mut r = strip(m);
        push_exp(&mut r, exp);
        if upper {
            r.to_ascii_uppercase()
        } else {
            r
        }
    }
}

fn group(int_part: &str, sep: char, every: usize) -> String {
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int_part),
    };
    let n = digits.len();
    let mut out = String::from(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % every == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[derive(Default, Debug)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn parse_spec(s: &str) -> Option<Spec> {
    let c: Vec<char> = s.chars().collect();
    let mut sp = Spec::default();
    let mut i = 0;
    let is_align = |ch: Option<&char>| matches!(ch, Some('<' | '>' | '^' | '='));
    if c.len() >= 2 && is_align(c.get(1)) {
        sp.fill = c.first().copied();
        sp.align = c.get(1).copied();
        i = 2;
    } else if is_align(c.first()) {
        sp.align = c.first().copied();
        i = 1;
    }
    if let Some(&ch @ ('+' | '-' | ' ')) = c.get(i) {
        sp.sign = Some(ch);
        i += 1;
    }
    if c.get(i) == Some(&'#') {
        sp.alt = true;
        i += 1;
    }
    if c.get(i) == Some(&'0') {
        sp.zero = true;
        i += 1;
    }
    let mut w = String::new();
    while let Some(ch) = c.get(i).filter(|ch| ch.is_ascii_digit()) {
        w.push(*ch);
        i += 1;
    }
    if !w.is_empty() {
        sp.width = w.parse().ok()?;
    }
    if let Some(&ch @ (',' | '_')) = c.get(i) {
        sp.grouping = Some(ch);
        i += 1;
    }
    if c.get(i) == Some(&'.') {
        i += 1;
        let mut p = String::new();
        while let Some(ch) = c.get(i).filter(|ch| ch.is_ascii_digit()) {
            p.push(*ch);
            i += 1;
        }
        if p.is_empty() {
            return None;
        }
        sp.precision = Some(p.parse().ok()?);
    }
    if let Some(&t) = c.get(i) {
        sp.ty = Some(t);
        i += 1;
    }
    if i != c.len() {
        return None;
    }
    Some(sp)
}

fn pad(body: &str, sp: &Spec, default_align: char, sign_len: usize) -> String {
    let n = body.chars().count();
    if n >= sp.width {
        return body.to_string();
    }
    let (fill, align) = if sp.zero && sp.align.is_none() {
        ('0', '=')
    } else {
        (sp.fill.unwrap_or(' '), sp.align.unwrap_or(default_align))
    };
    let k = sp.width - n;
    let fills = |m: usize| std::iter::repeat_n(fill, m).collect::<String>();
    match align {
        '<' => format!("{body}{}", fills(k)),
        '^' => format!("{}{body}{}", fills(k / 2), fills(k - k / 2)),
        '=' => {
            let split = body
                .char_indices()
                .nth(sign_len)
                .map(|(i, _)| i)
                .unwrap_or(body.len());
            let (a, b) = body.split_at(split);
            format!("{a}{}{b}", fills(k))
        }
        _ => format!("{}{body}", fills(k)),
    }
}
