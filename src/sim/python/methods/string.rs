//! Methods of `str`, and the whitespace splitting `str` and `bytes` share.

use super::decimal_value;
use crate::sim::python::builtins::take_kw;
use crate::sim::python::case;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

pub(super) fn is_py_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\x1f' | '\u{85}'
    ) || (c as u32 > 0x7f && c.is_whitespace())
}

impl Interp {
    // ------------------------------------------------------------ str

    fn str_arg(&mut self, v: Option<&Value>, what: &str) -> R<Rc<str>> {
        match v {
            Some(Value::Str(s)) => Ok(s.clone()),
            Some(other) => {
                let n = self.type_name(other);
                Err(self.exc_flow(Ty::TypeError, &format!("{what}must be str, not {n}")))
            }
            None => Err(self.exc_flow(Ty::TypeError, &format!("{what}missing argument"))),
        }
    }

    /// start/end arguments as char indices into a text of `len` chars.
    pub(super) fn range_args(
        &mut self,
        args: &[Value],
        from: usize,
        len: usize,
    ) -> R<(usize, usize)> {
        let norm = |i: i64| -> usize {
            if i < 0 {
                (i + len as i64).max(0) as usize
            } else {
                (i as usize).min(len)
            }
        };
        let s = match args.get(from) {
            None | Some(Value::None) => 0,
            Some(v) => norm(self.index_of(v)?),
        };
        let e = match args.get(from + 1) {
            None | Some(Value::None) => len,
            Some(v) => norm(self.index_of(v)?),
        };
        Ok((s, e))
    }

    pub(super) fn str_method(
        &mut self,
        os: &mut dyn Os,
        s: Rc<str>,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned();
        let text = |x: String| Ok(Value::Str(x.into()));
        match n {
            "encode" => {
                let (enc, errors) = self.enc_args("encode", &args, &mut kw)?;
                let b = self.encode_text(&s, &enc, &errors)?;
                Ok(Value::Bytes(b.into()))
            }
            "upper" | "lower" | "casefold" | "swapcase" | "title" | "capitalize" => {
                // CPython's do_upper, do_lower… (the final sigma included).
                let cs: Vec<char> = s.chars().collect();
                let mut out = String::with_capacity(s.len());
                let mut prev_cased = false;
                for (i, &c) in cs.iter().enumerate() {
                    match n {
                        "upper" => case::upper(c, &mut out),
                        "casefold" => case::fold(c, &mut out),
                        "swapcase" if c.is_uppercase() => case::lower_at(&cs, i, &mut out),
                        "swapcase" if c.is_lowercase() => case::upper(c, &mut out),
                        "swapcase" => out.push(c),
                        "title" if !prev_cased => case::title(c, &mut out),
                        "capitalize" if i == 0 => case::title(c, &mut out),
                        _ => case::lower_at(&cs, i, &mut out),
                    }
                    prev_cased = case::is_cased(c);
                }
                text(out)
            }
            "strip" | "lstrip" | "rstrip" => {
                let chars = match a0 {
                    None | Some(Value::None) => None,
                    Some(Value::Str(c)) => Some(c),
                    Some(v) => {
                        let t = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{n} arg must be None or str, not {t}"),
                        ));
                    }
                };
                let f = |c: char| match &chars {
                    Some(set) => set.contains(c),
                    None => is_py_space(c),
                };
                let r = match n {
                    "strip" => s.trim_matches(f),
                    "lstrip" => s.trim_start_matches(f),
                    _ => s.trim_end_matches(f),
                };
                text(r.to_string())
            }
            "split" | "rsplit" => {
                let sep = take_kw(&self.heap, &mut kw, "sep").or_else(|| args.first().cloned());
                let maxsplit =
                    take_kw(&self.heap, &mut kw, "maxsplit").or_else(|| args.get(1).cloned());
                self.no_kw(n, &kw)?;
                let max = match maxsplit {
                    None => -1,
                    Some(v) => self.index_of(&v)?,
                };
                let parts: Vec<String> = match sep {
                    None | Some(Value::None) => split_ws(&s, max, n == "rsplit"),
                    Some(Value::Str(sep)) => {
                        if sep.is_empty() {
                            return Err(self.exc_flow(Ty::ValueError, "empty separator"));
                        }
                        if max < 0 {
                            s.split(&*sep).map(String::from).collect()
                        } else if n == "split" {
                            s.splitn(max as usize + 1, &*sep)
                                .map(String::from)
                                .collect()
                        } else {
                            let mut v: Vec<String> = s
                                .rsplitn(max as usize + 1, &*sep)
                                .map(String::from)
                                .collect();
                            v.reverse();
                            v
                        }
                    }
                    Some(v) => {
                        let t = self.type_name(&v);
                        return Err(
                            self.exc_flow(Ty::TypeError, &format!("must be str or None, not {t}"))
                        );
                    }
                };
                let items = parts.into_iter().map(|p| Value::Str(p.into())).collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "splitlines" => {
                let keep = match take_kw(&self.heap, &mut kw, "keepends").or(a0) {
                    Some(v) => self.truthy(os, &v)?,
                    None => false,
                };
                let items = splitlines(&s, keep)
                    .into_iter()
                    .map(|p| Value::Str(p.into()))
                    .collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "startswith" | "endswith" => {
                let prefixes: Vec<Rc<str>> = match &a0 {
                    Some(Value::Str(p)) => vec![p.clone()],
                    Some(v) => match self.tuple_items(v) {
                        Some(items) => {
                            let mut out = Vec::new();
                            for it in items {
                                match it {
                                    Value::Str(p) => out.push(p),
                                    other => {
                                        let t = self.type_name(&other);
                                        return Err(self.exc_flow(
                                            Ty::TypeError,
                                            &format!(
                                                "tuple for {n} must only contain str, not {t}"
                                            ),
                                        ));
                                    }
                                }
                            }
                            out
                        }
                        None => {
                            let t = self.type_name(v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("{n} first arg must be str or a tuple of str, not {t}"),
                            ));
                        }
                    },
                    None => {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{n}() takes at least 1 argument (0 given)"),
                        ))
                    }
                };
                let chars: Vec<char> = s.chars().collect();
                let (st, en) = self.range_args(&args, 1, chars.len())?;
                let sub: String = if st <= en {
                    chars.get(st..en).unwrap_or(&[]).iter().collect()
                } else {
                    String::new()
                };
                if st > chars.len() {
                    return Ok(Value::Bool(false));
                }
                let r = prefixes.iter().any(|p| {
                    if n == "startswith" {
                        sub.starts_with(&**p)
                    } else {
                        sub.ends_with(&**p)
                    }
                });
                Ok(Value::Bool(r))
            }
            "find" | "rfind" | "index" | "rindex" | "count" => {
                let sub = self.str_arg(a0.as_ref(), "")?;
                let chars: Vec<char> = s.chars().collect();
                let (st, en) = self.range_args(&args, 1, chars.len())?;
                if st > en || st > chars.len() {
                    if n == "count" {
                        return Ok(Value::Int(0));
                    }
                    if n.ends_with("index") {
                        return Err(self.exc_flow(Ty::ValueError, "substring not found"));
                    }
                    return Ok(Value::Int(-1));
                }
                let hay: String = chars.get(st..en).unwrap_or(&[]).iter().collect();
                if n == "count" {
                    let c = if sub.is_empty() {
                        hay.chars().count() + 1
                    } else {
                        hay.matches(&*sub).count()
                    };
                    return Ok(Value::Int(c as i64));
                }
                let pos = if n.starts_with('r') {
                    hay.rfind(&*sub)
                } else {
                    hay.find(&*sub)
                };
                match pos {
                    Some(p) => Ok(Value::Int(
                        (st + hay.get(..p).unwrap_or("").chars().count()) as i64,
                    )),
                    None => {
                        if n.ends_with("index") {
                            Err(self.exc_flow(Ty::ValueError, "substring not found"))
                        } else {
                            Ok(Value::Int(-1))
                        }
                    }
                }
            }
            "replace" => {
                let old = self.str_arg(a0.as_ref(), "replace() argument 1 ")?;
                let new = self.str_arg(args.get(1), "replace() argument 2 ")?;
                let count = match args.get(2) {
                    Some(v) => self.index_of(v)?,
                    None => -1,
                };
                let r = if count < 0 {
                    s.replace(&*old, &new)
                } else {
                    s.replacen(&*old, &new, count as usize)
                };
                if r.len() > super::super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                text(r)
            }
            "join" => {
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                let mut out = String::new();
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&s);
                    }
                    match it {
                        Value::Str(p) => out.push_str(p),
                        other => {
                            let t = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("sequence item {i}: expected str instance, {t} found"),
                            ));
                        }
                    }
                }
                text(out)
            }
            "format" => Ok(Value::Str(self.str_format(os, &s, &args, &kw, 0)?)),
            "isdigit" | "isdecimal" | "isnumeric" | "isalpha" | "isalnum" | "isspace"
            | "isascii" | "isprintable" | "isidentifier" => {
                let r = match n {
                    "isdigit" | "isdecimal" => {
                        // decimal digits of any script (CJK numerals are numeric, not digits)
                        !s.is_empty() && s.chars().all(|c| decimal_value(c).is_some())
                    }
                    "isnumeric" => !s.is_empty() && s.chars().all(|c| c.is_numeric()),
                    "isalpha" => !s.is_empty() && s.chars().all(|c| c.is_alphabetic()),
                    "isalnum" => !s.is_empty() && s.chars().all(|c| c.is_alphanumeric()),
                    "isspace" => !s.is_empty() && s.chars().all(is_py_space),
                    "isascii" => s.is_ascii(),
                    "isprintable" => s.chars().all(|c| !c.is_control()),
                    _ => {
                        let mut cs = s.chars();
                        cs.next().is_some_and(|c| c == '_' || c.is_alphabetic())
                            && cs.all(|c| c == '_' || c.is_alphanumeric())
                    }
                };
                Ok(Value::Bool(r))
            }
            "isupper" | "islower" => {
                let cased: Vec<char> = s
                    .chars()
                    .filter(|c| c.is_uppercase() || c.is_lowercase())
                    .collect();
                let r = !cased.is_empty()
                    && cased.iter().all(|c| {
                        if n == "isupper" {
                            c.is_uppercase()
                        } else {
                            c.is_lowercase()
                        }
                    });
                Ok(Value::Bool(r))
            }
            "istitle" => {
                let mut prev_cased = false;
                let mut any = false;
                let mut ok = true;
                for c in s.chars() {
                    if c.is_uppercase() {
                        if prev_cased {
                            ok = false;
                        }
                        prev_cased = true;
                        any = true;
                    } else if c.is_lowercase() {
                        if !prev_cased {
                            ok = false;
                        }
                        prev_cased = true;
                        any = true;
                    } else {
                        prev_cased = false;
                    }
                }
                Ok(Value::Bool(ok && any))
            }
            "partition" | "rpartition" => {
                let sep = self.str_arg(a0.as_ref(), "")?;
                if sep.is_empty() {
                    return Err(self.exc_flow(Ty::ValueError, "empty separator"));
                }
                let found = if n == "partition" {
                    s.find(&*sep)
                } else {
                    s.rfind(&*sep)
                };
                let (a, b, c) = match found {
                    Some(p) => (
                        s.get(..p).unwrap_or(""),
                        &*sep,
                        s.get(p + sep.len()..).unwrap_or(""),
                    ),
                    None => {
                        if n == "partition" {
                            (&*s, "", "")
                        } else {
                            ("", "", &*s)
                        }
                    }
                };
                let items = vec![Value::str(a), Value::str(b), Value::str(c)];
                Ok(self.new_tuple(items))
            }
            "zfill" => {
                let w = self.index_of(&a0.unwrap_or(Value::Int(0)))?.max(0) as usize;
                if w > super::super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                let len = s.chars().count();
                if len >= w {
                    return Ok(Value::Str(s));
                }
                let (sign, rest) = match s.chars().next() {
                    Some(c @ ('+' | '-')) => (c.to_string(), s.get(1..).unwrap_or("").to_string()),
                    _ => (String::new(), s.to_string()),
                };
                text(format!("{sign}{}{rest}", "0".repeat(w - len)))
            }
            "center" | "ljust" | "rjust" => {
                let w = self.index_of(&a0.unwrap_or(Value::Int(0)))?.max(0) as usize;
                if w > super::super::ops::MAX_ITEMS {
                    return Err(self.exc_flow(Ty::MemoryError, ""));
                }
                let fill = match args.get(1) {
                    None => ' ',
                    Some(Value::Str(f)) if f.chars().count() == 1 => {
                        f.chars().next().unwrap_or(' ')
                    }
                    Some(_) => {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            "The fill character must be exactly one character long",
                        ))
                    }
                };
                let len = s.chars().count();
                if len >= w {
                    return Ok(Value::Str(s));
                }
                let marg = w - len;
                let (l, r) = match n {
                    "ljust" => (0, marg),
                    "rjust" => (marg, 0),
                    _ => {
                        let l = marg / 2 + (marg & w & 1);
                        (l, marg - l)
                    }
                };
                let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
                text(format!("{}{s}{}", f(l), f(r)))
            }
            "removeprefix" => {
                let p = self.str_arg(a0.as_ref(), "")?;
                text(s.strip_prefix(&*p).unwrap_or(&s).to_string())
            }
            "removesuffix" => {
                let p = self.str_arg(a0.as_ref(), "")?;
                text(s.strip_suffix(&*p).unwrap_or(&s).to_string())
            }
            "expandtabs" => {
                let ts = match a0 {
                    Some(v) => self.index_of(&v)?.clamp(0, 1 << 16) as usize,
                    None => 8,
                };
                let mut out = String::new();
                let mut col = 0;
                for c in s.chars() {
                    match c {
                        '\t' => {
                            if ts > 0 {
                                let k = ts - col % ts;
                                out.push_str(&" ".repeat(k));
                                col += k;
                            }
                        }
                        '\n' | '\r' => {
                            out.push(c);
                            col = 0;
                        }
                        _ => {
                            out.push(c);
                            col += 1;
                        }
                    }
                }
                text(out)
            }
            "translate" => {
                let table = a0.unwrap_or(Value::None);
                let mut out = String::new();
                for c in s.chars() {
                    match self.getitem(os, &table, &Value::Int(c as i64)) {
                        Ok(Value::None) => {}
                        Ok(Value::Int(i)) => {
                            out.push(u32::try_from(i).ok().and_then(char::from_u32).unwrap_or(c))
                        }
                        Ok(Value::Str(r)) => out.push_str(&r),
                        Ok(_) => out.push(c),
                        Err(Flow::Exc(e)) if self.exc_is(&e, Ty::LookupError) => out.push(c),
                        Err(e) => return Err(e),
                    }
                }
                text(out)
            }
            "__len__" => Ok(Value::Int(s.chars().count() as i64)),
            "__contains__" => Ok(Value::Bool(self.contains(
                os,
                &Value::Str(s),
                &a0.unwrap_or(Value::None),
            )?)),
            "__getitem__" => self.getitem(os, &Value::Str(s), &a0.unwrap_or(Value::None)),
            "__str__" => Ok(Value::Str(s)),
            "__repr__" => Ok(Value::Str(self.repr(os, &Value::Str(s))?)),
            "__format__" => {
                let spec = self.str_arg(a0.as_ref(), "")?;
                Ok(Value::Str(self.format(os, &Value::Str(s), &spec)?))
            }
            "__hash__" => Ok(Value::Int(self.hash(os, &Value::Str(s))?)),
            "__add__" | "__mul__" | "__eq__" | "__lt__" => {
                let b = a0.unwrap_or(Value::None);
                let a = Value::Str(s);
                match n {
                    "__add__" => self.binary(os, super::super::ast::BinOp::Add, &a, &b, false),
                    "__mul__" => self.binary(os, super::super::ast::BinOp::Mul, &a, &b, false),
                    "__eq__" => self.compare(os, super::super::ast::CmpOp::Eq, &a, &b),
                    _ => self.compare(os, super::super::ast::CmpOp::Lt, &a, &b),
                }
            }
            _ => {
                let sym = self.heap.intern(n);
                Err(self.attr_error(&Value::Str(s), sym))
            }
        }
    }
}

/// `str.split()` with no separator: runs of whitespace, ends stripped.
pub(super) fn split_ws(s: &str, max: i64, from_right: bool) -> Vec<String> {
    let words: Vec<&str> = s.split(is_py_space).filter(|w| !w.is_empty()).collect();
    if max < 0 || words.len() <= max as usize {
        return words.into_iter().map(String::from).collect();
    }
    let k = max as usize;
    if !from_right {
        // the first k words, then the rest of the string as it is
        let mut out = Vec::new();
        let mut rest = s.trim_start_matches(is_py_space);
        for _ in 0..k {
            let end = rest.find(is_py_space).unwrap_or(rest.len());
            out.push(rest.get(..end).unwrap_or("").to_string());
            rest = rest
                .get(end..)
                .unwrap_or("")
                .trim_start_matches(is_py_space);
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
        out
    } else {
        let mut out = Vec::new();
        let mut rest = s.trim_end_matches(is_py_space);
        for _ in 0..k {
            let start = rest
                .rfind(is_py_space)
                .map(|p| {
                    p + rest
                        .get(p..)
                        .and_then(|r| r.chars().next())
                        .map(|c| c.len_utf8())
                        .unwrap_or(1)
                })
                .unwrap_or(0);
            out.push(rest.get(start..).unwrap_or("").to_string());
            rest = rest
                .get(..start)
                .unwrap_or("")
                .trim_end_matches(is_py_space);
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
        out.reverse();
        out
    }
}

pub(super) fn splitlines(s: &str, keep: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let brk = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if brk {
            let mut ending = c.to_string();
            if c == '\r' && it.peek() == Some(&'\n') {
                it.next();
                ending.push('\n');
            }
            if keep {
                cur.push_str(&ending);
            }
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
