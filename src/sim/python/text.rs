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

impl Interp {
    pub(crate) fn str_of(&mut self, os: &mut dyn Os, v: &Value) -> R<Rc<str>> {
        match v {
            Value::Str(s) => Ok(s.clone()),
            Value::Ref(_) if self.heap.inst(v).is_some() => {
                if let Some(f) = self.lookup_class_attr(v, bi::S_STR) {
                    let r = self.call_sync(os, f, vec![v.clone()], Vec::new())?;
                    return match r {
                        Value::Str(s) => Ok(s),
                        other => {
                            let n = self.type_name(&other);
                            Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("__str__ returned non-string (type {n})"),
                            ))
                        }
                    };
                }
                if self.heap.exc(v).is_some() {
                    return Ok(self.exc_str(os, v).into());
                }
                self.repr(os, v)
            }
            _ => self.repr(os, v),
        }
    }

    pub(crate) fn repr(&mut self, os: &mut dyn Os, v: &Value) -> R<Rc<str>> {
        let mut seen = Vec::new();
        let mut out = String::new();
        self.repr_into(os, v, &mut out, &mut seen)?;
        Ok(out.into())
    }

    pub(crate) fn ascii(&mut self, os: &mut dyn Os, v: &Value) -> R<Rc<str>> {
        let r = self.repr(os, v)?;
        let mut out = String::new();
        for c in r.chars() {
            let u = c as u32;
            if u < 0x80 {
                out.push(c);
            } else if u < 0x100 {
                out.push_str(&format!("\\x{u:02x}"));
            } else if u < 0x10000 {
                out.push_str(&format!("\\u{u:04x}"));
            } else {
                out.push_str(&format!("\\U{u:08x}"));
            }
        }
        Ok(out.into())
    }

    fn addr(&self, v: &Value) -> String {
        format!("0x{:012x}", self.id_of(v))
    }

    /// repr without calling Python code (for views of a paused program).
    pub(crate) fn safe_repr(&self, v: &Value) -> String {
        let mut out = String::new();
        self.safe_repr_into(v, &mut out, 0);
        out
    }

    fn safe_repr_into(&self, v: &Value, out: &mut String, depth: u32) {
        if out.len() > 400 {
            return;
        }
        if depth > 6 {
            out.push_str("...");
            return;
        }
        match v {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::List(l)) | Some(Obj::Tuple(l)) | Some(Obj::Set(l)) => {
                    let (o, c) = match self.heap.get(*i) {
                        Some(Obj::List(_)) => ('[', ']'),
                        Some(Obj::Tuple(_)) => ('(', ')'),
                        _ => ('{', '}'),
                    };
                    out.push(o);
                    for (k, x) in l.iter().enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        self.safe_repr_into(x, out, depth + 1);
                    }
                    if c == ')' && l.len() == 1 {
                        out.push(',');
                    }
                    out.push(c);
                }
                Some(Obj::Dict(d)) => {
                    out.push('{');
                    for (k, (a, b)) in d.iter().enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        self.safe_repr_into(a, out, depth + 1);
                        out.push_str(": ");
                        self.safe_repr_into(b, out, depth + 1);
                    }
                    out.push('}');
                }
                Some(Obj::Inst(x)) => match &x.native {
                    Native::Exc(e) => {
                        out.push_str(&self.class_name(&x.class));
                        out.push('(');
                        for (k, a) in e.args.iter().enumerate() {
                            if k > 0 {
                                out.push_str(", ");
                            }
                            self.safe_repr_into(a, out, depth + 1);
                        }
                        out.push(')');
                    }
                    _ => out.push_str(&self.plain_repr(v)),
                },
                _ => out.push_str(&self.plain_repr(v)),
            },
            _ => out.push_str(&self.plain_repr(v)),
        }
    }

    /// The repr of a value that needs no Python code and no recursion.
    fn plain_repr(&self, v: &Value) -> String {
        match v {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => float_repr(f.0),
            Value::Str(s) => py_str_repr(s),
            Value::Bytes(b) => py_bytes_repr(b, usize::MAX),
            Value::Type(t) => match t.module() {
                Some(m) => format!("<class '{m}.{}'>", t.name()),
                None => format!("<class '{}'>", t.name()),
            },
            Value::Builtin(b) => format!("<built-in function {}>", b.name()),
            Value::Ellipsis => "Ellipsis".into(),
            Value::NotImplemented | Value::Null => "NotImplemented".into(),
            Value::NativeMeth(_) => "<built-in method>".into(),
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Func(f)) => format!("<function {} at {}>", f.code.qualname, self.addr(v)),
                Some(Obj::Class(c)) => {
                    if &*c.module == "builtins" {
                        format!("<class '{}'>", c.qualname)
                    } else {
                        format!("<class '{}.{}'>", c.module, c.qualname)
                    }
                }
                Some(Obj::Module(m)) => format!("<module '{}' (built-in)>", m.name),
                Some(Obj::Range(a, b, c)) => {
                    if *c == 1 {
                        format!("range({a}, {b})")
                    } else {
                        format!("range({a}, {b}, {c})")
                    }
                }
                Some(Obj::Bound(s, f)) => {
                    let fname = match f {
                        Value::Ref(fi) => match self.heap.get(*fi) {
                            Some(Obj::Func(func)) => func.code.qualname.to_string(),
                            _ => "?".into(),
                        },
                        _ => "?".into(),
                    };
                    format!("<bound method {fname} of {}>", self.safe_repr(s))
                }
                Some(Obj::BoundNative(s, m)) => format!(
                    "<built-in method {} of {} object at {}>",
                    self.heap.name(*m),
                    self.type_name(s),
                    self.addr(s)
                ),
                Some(Obj::Inst(x)) => match &x.native {
                    Native::Socket(s) => {
                        if s.closed {
                            format!(
                                "<socket.socket [closed] fd=-1, family={}, type={}, proto=0>",
                                s.family, s.kind
                            )
                        } else {
                            format!(
                                "<socket.socket fd={}, family={}, type={}, proto=0>",
                                s.fd, s.family, s.kind
                            )
                        }
                    }
                    Native::Thread(t) if t.process.is_some() => {
                        // BaseProcess.__repr__, without `parent=` (the
                        // parent's PID is the host's to know)
                        let p = t.process.as_deref().cloned().unwrap_or_default();
                        let mut info = vec![
                            self.class_name(&x.class).to_string(),
                            format!("name={}", crate::pyrepr::py_str_repr(&t.name)),
                        ];
                        if let Some(pid) = p.pid {
                            info.push(format!("pid={pid}"));
                        }
                        info.push(
                            match (p.pid, p.exitcode) {
                                (None, _) => "initial",
                                (Some(_), None) => "started",
                                (Some(_), Some(_)) => "stopped",
                            }
                            .to_string(),
                        );
                        if let Some(c) = p.exitcode {
                            info.push(format!("exitcode={c}"));
                        }
                        if t.daemon {
                            info.push("daemon".into());
                        }
                        format!("<{}>", info.join(" "))
                    }
                    Native::Thread(t) => {
                        let state = if t.done {
                            "stopped".to_string()
                        } else if t.ix.is_some() || t.main {
                            format!("started {}", t.ident)
                        } else {
                            "initial".to_string()
                        };
                        let state = if t.daemon && !t.main {
                            format!("{state} daemon")
                        } else {
                            state
                        };
                        let cls = if t.main {
                            "_MainThread".to_string()
                        } else {
                            self.class_name(&x.class).to_string()
                        };
                        format!("<{cls}({}, {state})>", t.name)
                    }
                    Native::Lock {
                        locked, reentrant, ..
                    } => {
                        if *reentrant {
                            format!(
                                "<{} _thread.RLock object owner=0 count=0 at {}>",
                                if *locked { "locked" } else { "unlocked" },
                                self.addr(v)
                            )
                        } else {
                            format!(
                                "<{} _thread.lock object at {}>",
                                if *locked { "locked" } else { "unlocked" },
                                self.addr(v)
                            )
                        }
                    }
                    Native::File(f) => {
                        if f.text.is_some() {
                            format!(
                                "<_io.TextIOWrapper name={} mode={} encoding={}>",
                                py_str_repr(&f.name),
                                py_str_repr(&f.mode),
                                py_str_repr(&f.encoding)
                            )
                        } else {
                            format!("<_io.BufferedReader name={}>", py_str_repr(&f.name))
                        }
                    }
                    Native::Stream(n) => format!(
                        "<_io.TextIOWrapper name='<{}>' mode='{}' encoding='utf-8'>",
                        ["stdin", "stdout", "stderr"]
                            .get(*n as usize)
                            .unwrap_or(&"stdout"),
                        if *n == 0 { "r" } else { "w" }
                    ),
                    _ => {
                        let c = &x.class;
                        let (module, qual) = match c {
                            Value::Type(t) => (
                                t.module().unwrap_or("builtins").to_string(),
                                t.name().to_string(),
                            ),
                            other => match self.heap.class(other) {
                                Some(cl) => (cl.module.to_string(), cl.qualname.to_string()),
                                None => ("builtins".into(), "object".into()),
                            },
                        };
                        if module == "builtins" {
                            format!("<{qual} object at {}>", self.addr(v))
                        } else {
                            format!("<{module}.{qual} object at {}>", self.addr(v))
                        }
                    }
                },
                Some(Obj::Slice(a, b, c)) => format!(
                    "slice({}, {}, {})",
                    self.safe_repr(a),
                    self.safe_repr(b),
                    self.safe_repr(c)
                ),
                Some(Obj::Cell(_)) => format!("<cell at {}>", self.addr(v)),
                Some(Obj::Property(..)) => format!("<property object at {}>", self.addr(v)),
                Some(Obj::StaticMethod(_)) => format!("<staticmethod object at {}>", self.addr(v)),
                Some(Obj::ClassMethod(_)) => format!("<classmethod object at {}>", self.addr(v)),
                Some(Obj::Super(..)) => "<super object>".into(),
                Some(Obj::Gen(g)) => {
                    format!("<generator object {} at {}>", g.qualname, self.addr(v))
                }
                Some(_) => format!("<{} object at {}>", self.type_name(v), self.addr(v)),
                None => "<freed>".into(),
            },
        }
    }

    fn repr_into(
        &mut self,
        os: &mut dyn Os,
        v: &Value,
        out: &mut String,
        seen: &mut Vec<Ix>,
    ) -> R<()> {
        if seen.len() > 200 {
            return Err(self.exc_flow(
                Ty::RecursionError,
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        if out.len() > super::ops::MAX_ITEMS {
            return Err(self.exc_flow(Ty::MemoryError, ""));
        }
        let Value::Ref(i) = v else {
            out.push_str(&self.plain_repr(v));
            return Ok(());
        };
        let i = *i;
        let kind = match self.heap.get(i) {
            Some(Obj::List(_)) => 0,
            Some(Obj::Tuple(_)) => 1,
            Some(Obj::Set(_)) => 2,
            Some(Obj::Dict(_)) => 3,
            Some(Obj::DictView(..)) => 4,
            Some(Obj::Inst(_)) => 5,
            _ => 9,
        };
        match kind {
            0..=3 => {
                if seen.contains(&i) {
                    out.push_str(match kind {
                        0 => "[...]",
                        3 => "{...}",
                        _ => "(...)",
                    });
                    return Ok(());
                }
                seen.push(i);
                let r = self.repr_container(os, i, kind, out, seen);
                seen.pop();
                r
            }
            4 => {
                let (d, k) = match self.heap.get(i) {
                    Some(Obj::DictView(d, k)) => (*d, *k),
                    _ => (0, 0),
                };
                out.push_str(["dict_keys(", "dict_values(", "dict_items("][k.min(2) as usize]);
                let entries = match self.heap.get(d) {
                    Some(Obj::Dict(e)) => e.clone(),
                    _ => Vec::new(),
                };
                out.push('[');
                for (n, (a, b)) in entries.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    match k {
                        0 => self.repr_into(os, a, out, seen)?,
                        1 => self.repr_into(os, b, out, seen)?,
                        _ => {
                            out.push('(');
                            self.repr_into(os, a, out, seen)?;
                            out.push_str(", ");
                            self.repr_into(os, b, out, seen)?;
                            out.push(')');
                        }
                    }
                }
                out.push_str("])");
                Ok(())
            }
            5 => {
                if let Some(f) = self.lookup_class_attr(v, bi::S_REPR) {
                    if seen.contains(&i) {
                        return Err(self.exc_flow(
                            Ty::RecursionError,
                            "maximum recursion depth exceeded while getting the repr of an object",
                        ));
                    }
                    seen.push(i);
                    let r = self.call_sync(os, f, vec![v.clone()], Vec::new());
                    seen.pop();
                    return match r? {
                        Value::Str(s) => {
                            out.push_str(&s);
                            Ok(())
                        }
                        other => {
                            let n = self.type_name(&other);
                            Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("__repr__ returned non-string (type {n})"),
                            ))
                        }
                    };
                }
                if let Some(e) = self.heap.exc(v) {
                    let args = e.args.clone();
                    let cls = self.type_of(v);
                    out.push_str(&self.class_name(&cls));
                    out.push('(');
                    for (n, a) in args.iter().enumerate() {
                        if n > 0 {
                            out.push_str(", ");
                        }
                        self.repr_into(os, a, out, seen)?;
                    }
                    out.push(')');
                    return Ok(());
                }
                if let Some(k) = self.key_fields(v) {
                    // a named tuple: SelectorKey(fileobj=…, fd=…, events=…, data=…)
                    if seen.contains(&i) {
                        out.push_str("SelectorKey(...)");
                        return Ok(());
                    }
                    seen.push(i);
                    out.push_str("SelectorKey(");
                    for (n, (name, x)) in ["fileobj", "fd", "events", "data"]
                        .iter()
                        .zip(&k)
                        .enumerate()
                    {
                        if n > 0 {
                            out.push_str(", ");
                        }
                        out.push_str(name);
                        out.push('=');
                        if let Err(e) = self.repr_into(os, x, out, seen) {
                            seen.pop();
                            return Err(e);
                        }
                    }
                    seen.pop();
                    out.push(')');
                    return Ok(());
                }
                if let Some(Native::Socket(s)) = self.heap.inst(v).map(|x| &x.native) {
                    if !s.closed {
                        let (fd, family, kind) = (s.fd, s.family, s.kind);
                        out.push_str(&format!(
                            "<socket.socket fd={fd}, family={family}, type={kind}, proto=0"
                        ));
                        // CPython shows the addresses it gets from the kernel
                        let fd32 = fd as i32;
                        if let Ok(OsValue::Addr(h, p)) =
                            self.os_call(os, OsCall::Getsockname { fd: fd32 })
                        {
                            out.push_str(&format!(", laddr=({}, {p})", py_str_repr(&h)));
                        }
                        if let Ok(OsValue::Addr(h, p)) =
                            self.os_call(os, OsCall::Getpeername { fd: fd32 })
                        {
                            out.push_str(&format!(", raddr=({}, {p})", py_str_repr(&h)));
                        }
                        out.push('>');
                        return Ok(());
                    }
                }
                out.push_str(&self.plain_repr(v));
                Ok(())
            }
            _ => {
                out.push_str(&self.plain_repr(v));
                Ok(())
            }
        }
    }

    fn repr_container(
        &mut self,
        os: &mut dyn Os,
        i: Ix,
        kind: u8,
        out: &mut String,
        seen: &mut Vec<Ix>,
    ) -> R<()> {
        match kind {
            3 => {
                let entries = match self.heap.get(i) {
                    Some(Obj::Dict(e)) => e.clone(),
                    _ => Vec::new(),
                };
                out.push('{');
                for (n, (a, b)) in entries.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(os, a, out, seen)?;
                    out.push_str(": ");
                    self.repr_into(os, b, out, seen)?;
                }
                out.push('}');
            }
            _ => {
                let items = match self.heap.get(i) {
                    Some(Obj::List(l)) | Some(Obj::Tuple(l)) | Some(Obj::Set(l)) => l.clone(),
                    _ => Vec::new(),
                };
                if kind == 2 && items.is_empty() {
                    out.push_str("set()");
                    return Ok(());
                }
                let (o, c) = match kind {
                    0 => ('[', ']'),
                    1 => ('(', ')'),
                    _ => ('{', '}'),
                };
                out.push(o);
                for (n, x) in items.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(os, x, out, seen)?;
                }
                if kind == 1 && items.len() == 1 {
                    out.push(',');
                }
                out.push(c);
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ format()

    pub(crate) fn format(&mut self, os: &mut dyn Os, v: &Value, spec: &str) -> R<Rc<str>> {
        if self.heap.inst(v).is_some() {
            if let Some(f) = self.lookup_class_attr(v, bi::S_FORMAT) {
                let r = self.call_sync(os, f, vec![v.clone(), Value::str(spec)], Vec::new())?;
                return match r {
                    Value::Str(s) => Ok(s),
                    _ => Err(self.exc_flow(Ty::TypeError, "__format__ must return a str")),
                };
            }
        }
        if spec.is_empty() {
            return self.str_of(os, v);
        }
        let Some(sp) = parse_spec(spec) else {
            return Err(self.exc_flow(Ty::ValueError, "Invalid format specifier"));
        };
        if sp.width > super::ops::MAX_ITEMS {
            return Err(self.exc_flow(Ty::MemoryError, ""));
        }
        if sp.precision.is_some_and(|p| p > 10_000) {
            return Err(self.exc_flow(Ty::ValueError, "precision too big"));
        }
        match v {
            Value::Str(s) => self.format_str(s, &sp),
            Value::Int(_) | Value::Bool(_) => {
                let i = match v {
                    Value::Int(i) => *i,
                    Value::Bool(b) => *b as i64,
                    _ => 0,
                };
                // a bool formats as an int once there is a spec
                self.format_int(i, &sp)
            }
            Value::Float(f) => self.format_float(f.0, &sp, "float"),
            _ => {
                let n = self.type_name(v);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("unsupported format string passed to {n}.__format__"),
                ))
            }
        }
    }

    fn format_str(&mut self, s: &str, sp: &Spec) -> R<Rc<str>> {
        match sp.ty {
            None | Some('s') => {}
            Some(t) => {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("Unknown format code '{t}' for object of type 'str'"),
                ))
            }
        }
        if sp.sign.is_some() {
            return Err(self.exc_flow(
                Ty::ValueError,
                "Sign not allowed in string format specifier",
            ));
        }
        if sp.align == Some('=') {
            return Err(self.exc_flow(
                Ty::ValueError,
                "'=' alignment not allowed in string format specifier",
            ));
        }
        let body: String = match sp.precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        };
        let sp2 = Spec {
            zero: false,
            fill: sp.fill.or(if sp.zero { Some('0') } else { None }),
            align: sp.align,
            width: sp.width,
            ..Spec::default()
        };
        Ok(pad(&body, &sp2, '<', 0).into())
    }

    fn format_int(&mut self, i: i64, sp: &Spec) -> R<Rc<str>> {
        let t = sp.ty.unwrap_or('d');
        if matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
            return self.format_float(i as f64, sp, "int");
        }
        if sp.precision.is_some() {
            return Err(self.exc_flow(
                Ty::ValueError,
                "Precision not allowed in integer format specifier",
            ));
        }
        let mag = i.unsigned_abs();
        let mut digits = match t {
            'd' | 'n' => mag.to_string(),
            'x' => format!("{mag:x}"),
            'X' => format!("{mag:X}"),
            'o' => format!("{mag:o}"),
            'b' => format!("{mag:b}"),
            'c' => {
                let c = u32::try_from(i).ok().and_then(char::from_u32);
                match c {
                    Some(c) => return Ok(pad(&c.to_string(), sp, '<', 0).into()),
                    None => {
                        return Err(
                            self.exc_flow(Ty::OverflowError, "%c arg not in range(0x110000)")
                        )
                    }
                }
            }
            _ => {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("Unknown format code '{t}' for object of type 'int'"),
                ))
            }
        };
        if let Some(g) = sp.grouping {
            let every = if matches!(t, 'd' | 'n') { 3 } else { 4 };
            digits = group(&digits, g, every);
        }
        let prefix = if sp.alt {
            match t {
                'x' => "0x",
                'X' => "0X",
                'o' => "0o",
                'b' => "0b",
                _ => "",
            }
        } else {
            ""
        };
        let sign = if i < 0 {
            "-"
        } else {
            match sp.sign {
                Some('+') => "+",
                Some(' ') => " ",
                _ => "",
            }
        };
        let body = format!("{sign}{prefix}{digits}");
        Ok(pad(&body, sp, '>', sign.len() + prefix.len()).into())
    }

    fn format_float(&mut self, x: f64, sp: &Spec, tyname: &str) -> R<Rc<str>> {
        let t = sp.ty;
        let prec = sp.precision;
        let mag = x.abs();
        let mut body = match t {
            Some('f') | Some('F') => fmt_f(mag, prec.unwrap_or(6), t == Some('F')),
            Some('e') | Some('E') => fmt_e(mag, prec.unwrap_or(6), t == Some('E')),
            Some('g') | Some('G') | Some('n') => {
                fmt_g(mag, prec.unwrap_or(6), t == Some('G'), sp.alt, false)
            }
            Some('%') => format!("{}%", fmt_f(mag * 100.0, prec.unwrap_or(6), false)),
            None => match prec {
                Some(p) => fmt_g(mag, p, false, sp.alt, true),
                None => float_repr(mag),
            },
            Some(c) => {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("Unknown format code '{c}' for object of type '{tyname}'"),
                ))
            }
        };
        if sp.alt && !body.contains('.') && !body.contains('e') && x.is_finite() {
            body.push('.');
        }
        if let Some(g) = sp.grouping {
            let (int_part, rest) = match body.find(['.', 'e', '%']) {
                Some(p) => body.split_at(p),
                None => (body.as_str(), ""),
            };
            body = format!("{}{rest}", group(int_part, g, 3));
        }
        let sign = if x.is_sign_negative() && !x.is_nan() {
            "-"
        } else {
            match sp.sign {
                Some('+') => "+",
                Some(' ') => " ",
                _ => "",
            }
        };
        let body = format!("{sign}{body}");
        Ok(pad(&body, sp, '>', sign.len()).into())
    }

    // ------------------------------------------------------------ %-formatting

    pub(crate) fn percent_format(
        &mut self,
        os: &mut dyn Os,
        fmt: &str,
        args: &Value,
    ) -> R<Rc<str>> {
        let is_tuple = self.tuple_items(args);
        let is_map =
            matches!(args, Value::Ref(i) if matches!(self.heap.get(*i), Some(Obj::Dict(_))));
        let items: Vec<Value> = match &is_tuple {
            Some(t) => t.clone(),
            None => vec![args.clone()],
        };
        let mut next = 0usize;
        let mut used_map = false;
        let chars: Vec<char> = fmt.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            // mapping key
            let mut key_val: Option<Value> = None;
            if chars.get(i) == Some(&'(') {
                let mut depth = 1;
                let mut j = i + 1;
                while let Some(&d) = chars.get(j) {
                    if d == '(' {
                        depth += 1;
                    } else if d == ')' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                if chars.get(j).is_none() {
                    return Err(self.exc_flow(Ty::ValueError, "incomplete format key"));
                }
                let key: String = chars.get(i + 1..j).unwrap_or(&[]).iter().collect();
                if !is_map {
                    return Err(self.exc_flow(Ty::TypeError, "format requires a mapping"));
                }
                used_map = true;
                let k = Value::Str(key.into());
                match self.dict_get(args, &k)? {
                    Some(v) => key_val = Some(v),
                    None => {
                        let e = self.new_exc_args(Ty::KeyError, vec![k]);
                        return Err(Flow::Exc(e));
                    }
                }
                i = j + 1;
            }
            let mut flags = String::new();
            while let Some(&f @ ('-' | '+' | ' ' | '#' | '0')) = chars.get(i) {
                flags.push(f);
                i += 1;
            }
            let take_arg = |s: &mut Self, next: &mut usize| -> R<Value> {
                if let Some(v) = &key_val {
                    return Ok(v.clone());
                }
                match items.get(*next) {
                    Some(v) => {
                        *next += 1;
                        Ok(v.clone())
                    }
                    None => {
                        Err(s.exc_flow(Ty::TypeError, "not enough arguments for format string"))
                    }
                }
            };
            let mut width = None;
            if chars.get(i) == Some(&'*') {
                let w = take_arg(self, &mut next)?;
                width = Some(self.index_of(&w)?);
                i += 1;
            } else {
                let mut w = String::new();
                while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                    w.push(*d);
                    i += 1;
                }
                if !w.is_empty() {
                    width = w.parse::<i64>().ok();
                }
            }
            let mut prec = None;
            if chars.get(i) == Some(&'.') {
                i += 1;
                if chars.get(i) == Some(&'*') {
                    let p = take_arg(self, &mut next)?;
                    prec = Some(self.index_of(&p)?.clamp(0, 10_000) as usize);
                    i += 1;
                } else {
                    let mut p = String::new();
                    while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                        p.push(*d);
                        i += 1;
                    }
                    prec = Some(p.parse::<usize>().unwrap_or(0).min(10_000));
                }
            }
            // length modifiers are ignored, as in CPython
            while let Some('h' | 'l' | 'L') = chars.get(i) {
                i += 1;
            }
            let Some(&conv) = chars.get(i) else {
                return Err(self.exc_flow(Ty::ValueError, "incomplete format"));
            };
            i += 1;
            if conv == '%' {
                out.push('%');
                continue;
            }
            let arg = take_arg(self, &mut next)?;
            let left = flags.contains('-');
            let zero = flags.contains('0') && !left;
            let plus = flags.contains('+');
            let space = flags.contains(' ');
            let alt = flags.contains('#');
            let mut sign_prefix_len = 0;
            let body: String = match conv {
                's' | 'r' | 'a' => {
                    let s = match conv {
                        's' => self.str_of(os, &arg)?,
                        'r' => self.repr(os, &arg)?,
                        _ => self.ascii(os, &arg)?,
                    };
                    match prec {
                        Some(p) => s.chars().take(p).collect(),
                        None => s.to_string(),
                    }
                }
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let n = match &arg {
                        Value::Int(n) => *n,
                        Value::Bool(b) => *b as i64,
                        Value::Float(f) if matches!(conv, 'd' | 'i' | 'u') => {
                            if !f.0.is_finite() {
                                return Err(self.exc_flow(
                                    Ty::OverflowError,
                                    "cannot convert float infinity to integer",
                                ));
                            }
                            f.0.trunc() as i64
                        }
                        other => {
                            let n = self.type_name(other);
                            let msg = if matches!(conv, 'd' | 'i' | 'u') {
                                format!("%{conv} format: a real number is required, not {n}")
                            } else {
                                format!("%{conv} format: an integer is required, not {n}")
                            };
                            return Err(self.exc_flow(Ty::TypeError, &msg));
                        }
                    };
                    let mag = n.unsigned_abs();
                    let mut digits = match conv {
                        'x' => format!("{mag:x}"),
                        'X' => format!("{mag:X}"),
                        'o' => format!("{mag:o}"),
                        _ => mag.to_string(),
                    };
                    if let Some(p) = prec {
                        while digits.len() < p {
                            digits.insert(0, '0');
                        }
                    }
                    let prefix = if alt {
                        match conv {
                            'x' => "0x",
                            'X' => "0X",
                            'o' => "0o",
                            _ => "",
                        }
                    } else {
                        ""
                    };
                    let sign = if n < 0 {
                        "-"
                    } else if plus {
                        "+"
                    } else if space {
                        " "
                    } else {
                        ""
                    };
                    sign_prefix_len = sign.len() + prefix.len();
                    format!("{sign}{prefix}{digits}")
                }
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                    let x = match &arg {
                        Value::Int(n) => *n as f64,
                        Value::Bool(b) => *b as i64 as f64,
                        Value::Float(f) => f.0,
                        other => {
                            let n = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("must be real number, not {n}"),
                            ));
                        }
                    };
                    let p = prec.unwrap_or(6);
                    let mag = x.abs();
                    let mut b = match conv {
                        'e' | 'E' => fmt_e(mag, p, conv == 'E'),
                        'f' | 'F' => fmt_f(mag, p, conv == 'F'),
                        _ => fmt_g(mag, p, conv == 'G', alt, false),
                    };
                    if alt && !b.contains('.') && x.is_finite() && !matches!(conv, 'g' | 'G') {
                        b.push('.');
                    }
                    let sign = if x.is_sign_negative() && !x.is_nan() {
                        "-"
                    } else if plus {
                        "+"
                    } else if space {
                        " "
                    } else {
                        ""
                    };
                    sign_prefix_len = sign.len();
                    format!("{sign}{b}")
                }
                'c' => match &arg {
                    Value::Int(n) => match u32::try_from(*n).ok().and_then(char::from_u32) {
                        Some(c) => c.to_string(),
                        None => {
                            return Err(
                                self.exc_flow(Ty::OverflowError, "%c arg not in range(0x110000)")
                            )
                        }
                    },
                    Value::Str(s) if s.chars().count() == 1 => s.to_string(),
                    _ => return Err(self.exc_flow(Ty::TypeError, "%c requires int or char")),
                },
                other => {
                    let idx = chars
                        .get(..i - 1)
                        .map(|s| s.iter().collect::<String>().len())
                        .unwrap_or(0);
                    let _ = start;
                    return Err(self.exc_flow(
                        Ty::ValueError,
                        &format!(
                            "unsupported format character '{other}' (0x{:x}) at index {idx}",
                            other as u32
                        ),
                    ));
                }
            };
            let w = width.unwrap_or(0);
            let left = left || w < 0;
            if w.unsigned_abs() as usize > super::ops::MAX_ITEMS {
                return Err(self.exc_flow(Ty::MemoryError, ""));
            }
            let w = w.unsigned_abs() as usize;
            let n = body.chars().count();
            if n >= w {
                out.push_str(&body);
            } else if left {
                out.push_str(&body);
                out.push_str(&" ".repeat(w - n));
            } else if zero && !matches!(conv, 's' | 'r' | 'a' | 'c') {
                let split = body
                    .char_indices()
                    .nth(sign_prefix_len)
                    .map(|(i, _)| i)
                    .unwrap_or(body.len());
                let (a, b) = body.split_at(split);
                out.push_str(a);
                out.push_str(&"0".repeat(w - n));
                out.push_str(b);
            } else {
                out.push_str(&" ".repeat(w - n));
                out.push_str(&body);
            }
        }
        if !used_map && is_tuple.is_some() && next < items.len() {
            return Err(self.exc_flow(
                Ty::TypeError,
                "not all arguments converted during string formatting",
            ));
        }
        if !used_map && is_tuple.is_none() && next == 0 && !is_map {
            return Err(self.exc_flow(
                Ty::TypeError,
                "not all arguments converted during string formatting",
            ));
        }
        Ok(out.into())
    }

    // ------------------------------------------------------------ str.format

    pub(crate) fn str_format(
        &mut self,
        os: &mut dyn Os,
        fmt: &str,
        args: &[Value],
        kw: &[(Sym, Value)],
        depth: u32,
    ) -> R<Rc<str>> {
        let mut auto: Option<usize> = None;
        let mut manual = false;
        self.str_format_in(os, fmt, args, kw, depth, &mut auto, &mut manual)
    }

    /// `auto`/`manual`: the field numbering, shared with nested specs
    /// (`"{:>{}}".format(x, w)`).
    #[allow(clippy::too_many_arguments)]
    fn str_format_in(
        &mut self,
        os: &mut dyn Os,
        fmt: &str,
        args: &[Value],
        kw: &[(Sym, Value)],
        depth: u32,
        auto: &mut Option<usize>,
        manual: &mut bool,
    ) -> R<Rc<str>> {
        if depth > 2 {
            return Err(self.exc_flow(Ty::ValueError, "Max string recursion exceeded"));
        }
        let chars: Vec<char> = fmt.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if c == '{' {
                if chars.get(i + 1) == Some(&'{') {
                    out.push('{');
                    i += 2;
                    continue;
                }
                // find the matching '}'
                let mut d = 1;
                let mut j = i + 1;
                while let Some(&x) = chars.get(j) {
                    if x == '{' {
                        d += 1;
                    } else if x == '}' {
                        d -= 1;
                        if d == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                if chars.get(j).is_none() {
                    return Err(self.exc_flow(Ty::ValueError, "expected '}' before end of string"));
                }
                let field: String = chars.get(i + 1..j).unwrap_or(&[]).iter().collect();
                i = j + 1;
                // split name!conv:spec
                let mut name_end = field.len();
                let mut in_bracket = false;
                for (k, ch) in field.char_indices() {
                    match ch {
                        '[' => in_bracket = true,
                        ']' => in_bracket = false,
                        '!' | ':' if !in_bracket => {
                            name_end = k;
                            break;
                        }
                        _ => {}
                    }
                }
                let (name, rest) = field.split_at(name_end);
                let (conv, spec) = if let Some(r) = rest.strip_prefix('!') {
                    let mut it = r.chars();
                    let cv = it.next();
                    let after: String = it.collect();
                    match after.strip_prefix(':') {
                        Some(s) => (cv, s.to_string()),
                        None if after.is_empty() => (cv, String::new()),
                        None => {
                            return Err(self.exc_flow(
                                Ty::ValueError,
                                "expected ':' after conversion specifier",
                            ))
                        }
                    }
                } else if let Some(s) = rest.strip_prefix(':') {
                    (None, s.to_string())
                } else {
                    (None, String::new())
                };
                // the first part of the name: index or keyword
                let first_end = name.find(['.', '[']).unwrap_or(name.len());
                let (first, mut tail) = name.split_at(first_end);
                let mut val = if first.is_empty() {
                    if *manual {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            "cannot switch from manual field specification to automatic field numbering",
                        ));
                    }
                    let n = auto.map(|n| n + 1).unwrap_or(0);
                    *auto = Some(n);
                    match args.get(n) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(self.exc_flow(
                                Ty::IndexError,
                                &format!(
                                    "Replacement index {n} out of range for positional args tuple"
                                ),
                            ))
                        }
                    }
                } else if let Ok(n) = first.parse::<usize>() {
                    if auto.is_some() {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            "cannot switch from automatic field numbering to manual field specification",
                        ));
                    }
                    *manual = true;
                    match args.get(n) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(self.exc_flow(
                                Ty::IndexError,
                                &format!(
                                    "Replacement index {n} out of range for positional args tuple"
                                ),
                            ))
                        }
                    }
                } else {
                    match kw.iter().find(|(k, _)| self.heap.name(*k) == first) {
                        Some((_, v)) => v.clone(),
                        None => {
                            let e = self.new_exc_args(Ty::KeyError, vec![Value::str(first)]);
                            return Err(Flow::Exc(e));
                        }
                    }
                };
                while !tail.is_empty() {
                    if let Some(r) = tail.strip_prefix('.') {
                        let end = r.find(['.', '[']).unwrap_or(r.len());
                        let (attr, t) = r.split_at(end);
                        let s = self.heap.intern(attr);
                        val = self.getattr(os, &val, s)?;
                        tail = t;
                    } else if let Some(r) = tail.strip_prefix('[') {
                        let end = r.find(']').unwrap_or(r.len());
                        let key = &r[..end];
                        let k = match key.parse::<i64>() {
                            Ok(n) => Value::Int(n),
                            Err(_) => Value::str(key),
                        };
                        val = self.getitem(os, &val, &k)?;
                        tail = r.get(end + 1..).unwrap_or("");
                    } else {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            "Only '.' or '[' may follow ']' in format field specifier",
                        ));
                    }
                }
                let val = match conv {
                    Some('r') => Value::Str(self.repr(os, &val)?),
                    Some('s') => Value::Str(self.str_of(os, &val)?),
                    Some('a') => Value::Str(self.ascii(os, &val)?),
                    None => val,
                    Some(c) => {
                        return Err(self.exc_flow(
                            Ty::ValueError,
                            &format!("Unknown conversion specifier {c}"),
                        ))
                    }
                };
                let spec = if spec.contains('{') {
                    self.str_format_in(os, &spec, args, kw, depth + 1, auto, manual)?
                        .to_string()
                } else {
                    spec
                };
                out.push_str(&self.format(os, &val, &spec)?);
                continue;
            }
            if c == '}' {
                if chars.get(i + 1) == Some(&'}') {
                    out.push('}');
                    i += 2;
                    continue;
                }
                return Err(
                    self.exc_flow(Ty::ValueError, "Single '}' encountered in format string")
                );
            }
            out.push(c);
            i += 1;
        }
        Ok(out.into())
    }

    pub(crate) fn round(&mut self, _os: &mut dyn Os, v: &Value, nd: Option<Value>) -> R<Value> {
        let nd = match nd {
            None | Some(Value::None) => None,
            Some(n) => Some(self.index_of(&n)?),
        };
        match v {
            Value::Int(_) | Value::Bool(_) => {
                let i = match v {
                    Value::Int(i) => *i,
                    Value::Bool(b) => *b as i64,
                    _ => 0,
                };
                match nd {
                    Some(n) if n < 0 => {
                        if n < -18 {
                            return Ok(Value::Int(0));
                        }
                        let p = 10i64.pow((-n) as u32);
                        let q = i.div_euclid(p);
                        let r = i.rem_euclid(p);
                        let q = if r * 2 > p || (r * 2 == p && q % 2 != 0) {
                            q + 1
                        } else {
                            q
                        };
                        match q.checked_mul(p) {
                            Some(x) => Ok(Value::Int(x)),
                            None => Err(self.overflow()),
                        }
                    }
                    _ => Ok(Value::Int(i)),
                }
            }
            Value::Float(f) => {
                let x = f.0;
                match nd {
                    None => {
                        if x.is_nan() {
                            return Err(self
                                .exc_flow(Ty::ValueError, "cannot convert float NaN to integer"));
                        }
                        if x.is_infinite() {
                            return Err(self.exc_flow(
                                Ty::OverflowError,
                                "cannot convert float infinity to integer",
                            ));
                        }
                        let r = x.round_ties_even();
                        if r.abs() >= 9.2e18 {
                            return Err(self.overflow());
                        }
                        Ok(Value::Int(r as i64))
                    }
                    Some(n) => {
                        if !x.is_finite() {
                            return Ok(v.clone());
                        }
                        if n >= 0 {
                            let n = n.min(320) as usize;
                            let s = float::fixed(x, n);
                            Ok(Value::float(float::parse(&s).unwrap_or(x)))
                        } else {
                            let p = 10f64.powi((-n).min(320) as i32);
                            Ok(Value::float((x / p).round_ties_even() * p))
                        }
                    }
                }
            }
            other => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("type {n} doesn't define __round__ method"),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_is_cpythons() {
        for (x, s) in [
            (0.1, "0.1"),
            (3.0, "3.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-2.5, "-2.5"),
            (1.5e300, "1.5e+300"),
            (123456789.125, "123456789.125"),
            (f64::INFINITY, "inf"),
            (-0.0, "-0.0"),
            (2.0f64.powi(60), "1.152921504606847e+18"),
        ] {
            assert_eq!(float_repr(x), s, "{x}");
        }
        assert_eq!(float_repr(f64::NAN), "nan");
    }

    #[test]
    fn format_specs() {
        let sp = |s: &str| parse_spec(s).unwrap();
        let s = sp(">10");
        assert_eq!(pad("ab", &s, '<', 0), "        ab");
        let s = sp("*^7");
        assert_eq!(pad("ab", &s, '<', 0), "**ab***");
        assert_eq!(fmt_g(1234567.0, 6, false, false, false), "1.23457e+06");
        assert_eq!(fmt_g(0.0001, 6, false, false, false), "0.0001");
        assert_eq!(fmt_g(100.0, 6, false, false, false), "100");
        assert_eq!(fmt_g(1.5, 2, false, false, true), "1.5");
        assert_eq!(fmt_g(2.0, 2, false, false, true), "2.0");
        assert_eq!(fmt_e(12345.678, 2, false), "1.23e+04");
        assert_eq!(group("1234567", ',', 3), "1,234,567");
        assert!(parse_spec(".f").is_none());
    }

    #[test]
    fn percent_formatting() {
        use crate::sim::python::test_os::TestOs;
        let mut py = Interp::new("t.py", "");
        let mut os = TestOs::new();
        let t = |py: &mut Interp, items: Vec<Value>| py.new_tuple(items);
        let args = t(
            &mut py,
            vec![Value::str("Ann"), Value::Int(30), Value::float(1.756)],
        );
        let r = py.percent_format(&mut os, "%s is %d and %.2f|%5s|%-5s|%05d|%x|%%", &args);
        assert!(r.is_err(), "not enough arguments");
        let args = t(
            &mut py,
            vec![
                Value::str("Ann"),
                Value::Int(30),
                Value::float(1.756),
                Value::str("r"),
                Value::str("l"),
                Value::Int(-42),
                Value::Int(255),
            ],
        );
        let r = py.percent_format(&mut os, "%s is %d and %.2f|%5s|%-5s|%05d|%x|%%", &args);
        assert_eq!(
            r.ok().as_deref(),
            Some("Ann is 30 and 1.76|    r|l    |-0042|ff|%")
        );
        let a = t(&mut py, vec![Value::str("a"), Value::None]);
        let r = py.percent_format(&mut os, "%r and %s", &a);
        assert_eq!(r.ok().as_deref(), Some("'a' and None"));
        let r = py.percent_format(&mut os, "%d%%", &Value::Int(7));
        assert_eq!(r.ok().as_deref(), Some("7%"));
        let a = t(
            &mut py,
            vec![
                Value::float(12345.678),
                Value::float(0.0001),
                Value::float(1e-10),
                Value::float(1234567.0),
            ],
        );
        let r = py.percent_format(&mut os, "%e|%g|%G|%.3g", &a);
        assert_eq!(
            r.ok().as_deref(),
            Some("1.234568e+04|0.0001|1E-10|1.23e+06")
        );
    }
}
