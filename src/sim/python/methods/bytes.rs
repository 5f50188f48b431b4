//! Methods of `bytes`.

use super::string::{split_ws, splitlines};
use crate::sim::python::builtins::take_kw;
use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

fn is_byte_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

impl Interp {
    // ------------------------------------------------------------ bytes

    fn bytes_arg(&mut self, v: Option<&Value>) -> R<Rc<[u8]>> {
        match v {
            Some(Value::Bytes(b)) => Ok(b.clone()),
            Some(other) => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("a bytes-like object is required, not '{n}'"),
                ))
            }
            None => Err(self.exc_flow(Ty::TypeError, "a bytes-like object is required")),
        }
    }

    pub(super) fn bytes_method(
        &mut self,
        os: &mut dyn Os,
        b: Rc<[u8]>,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned();
        let bytes = |x: Vec<u8>| Ok(Value::Bytes(x.into()));
        match n {
            "decode" => {
                let (enc, errors) = self.enc_args("decode", &args, &mut kw)?;
                Ok(Value::Str(self.decode_bytes(&b, &enc, &errors)?.into()))
            }
            "hex" => {
                let sep = match &a0 {
                    Some(Value::Str(s)) => Some(s.to_string()),
                    Some(Value::Bytes(s)) => Some(String::from_utf8_lossy(s).to_string()),
                    _ => None,
                };
                let parts: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
                Ok(Value::Str(parts.join(sep.as_deref().unwrap_or("")).into()))
            }
            "upper" => bytes(b.to_ascii_uppercase()),
            "lower" => bytes(b.to_ascii_lowercase()),
            "strip" | "lstrip" | "rstrip" => {
                let set: Option<Rc<[u8]>> = match &a0 {
                    None | Some(Value::None) => None,
                    Some(v) => Some(self.bytes_arg(Some(v))?),
                };
                let f = |c: &u8| match &set {
                    Some(s) => s.contains(c),
                    None => is_byte_space(*c),
                };
                let mut start = 0;
                let mut end = b.len();
                if n != "rstrip" {
                    while start < end && b.get(start).is_some_and(f) {
                        start += 1;
                    }
                }
                if n != "lstrip" {
                    while end > start && b.get(end - 1).is_some_and(f) {
                        end -= 1;
                    }
                }
                bytes(b.get(start..end).unwrap_or(&[]).to_vec())
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
                let parts: Vec<Vec<u8>> = match sep {
                    None | Some(Value::None) => {
                        let text: String = b.iter().map(|&c| c as char).collect();
                        split_ws(&text, max, n == "rsplit")
                            .into_iter()
                            .map(|p| p.chars().map(|c| c as u32 as u8).collect())
                            .collect()
                    }
                    Some(v) => {
                        let sep = self.bytes_arg(Some(&v))?;
                        if sep.is_empty() {
                            return Err(self.exc_flow(Ty::ValueError, "empty separator"));
                        }
                        let mut parts = split_bytes(&b, &sep);
                        if max >= 0 && parts.len() > max as usize + 1 {
                            let k = max as usize;
                            if n == "split" {
                                let rest = parts.split_off(k);
                                parts.push(rest.join(&sep[..]));
                            } else {
                                let keep = parts.split_off(parts.len() - k);
                                let head = parts.join(&sep[..]);
                                parts = vec![head];
                                parts.extend(keep);
                            }
                        }
                        parts
                    }
                };
                let items = parts.into_iter().map(|p| Value::Bytes(p.into())).collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "splitlines" => {
                let text: String = b.iter().map(|&c| c as char).collect();
                let keep = match a0 {
                    Some(v) => self.truthy(os, &v)?,
                    None => false,
                };
                let items = splitlines(&text, keep)
                    .into_iter()
                    .map(|p| {
                        Value::Bytes(
                            p.chars()
                                .map(|c| c as u32 as u8)
                                .collect::<Vec<u8>>()
                                .into(),
                        )
                    })
                    .collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            "startswith" | "endswith" => {
                let prefixes: Vec<Rc<[u8]>> = match &a0 {
                    Some(Value::Bytes(p)) => vec![p.clone()],
                    Some(v) => match self.tuple_items(v) {
                        Some(items) => {
                            let mut out = Vec::new();
                            for it in items {
                                out.push(self.bytes_arg(Some(&it))?);
                            }
                            out
                        }
                        None => {
                            let t = self.type_name(v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!(
                                    "{n} first arg must be bytes or a tuple of bytes, not {t}"
                                ),
                            ));
                        }
                    },
                    None => return Err(self.exc_flow(Ty::TypeError, "missing argument")),
                };
                let (st, en) = self.range_args(&args, 1, b.len())?;
                let sub = if st <= en {
                    b.get(st..en).unwrap_or(&[])
                } else {
                    &[]
                };
                let r = prefixes.iter().any(|p| {
                    if n == "startswith" {
                        sub.starts_with(p)
                    } else {
                        sub.ends_with(p)
                    }
                });
                Ok(Value::Bool(r))
            }
            "find" | "rfind" | "index" | "rindex" | "count" => {
                let sub: Vec<u8> = match &a0 {
                    Some(Value::Int(i)) => vec![*i as u8],
                    v => self.bytes_arg(v.as_ref())?.to_vec(),
                };
                let (st, en) = self.range_args(&args, 1, b.len())?;
                let hay = if st <= en {
                    b.get(st..en).unwrap_or(&[])
                } else {
                    &[]
                };
                if n == "count" {
                    if sub.is_empty() {
                        return Ok(Value::Int(hay.len() as i64 + 1));
                    }
                    let mut c = 0;
                    let mut i = 0;
                    while i + sub.len() <= hay.len() {
                        if hay.get(i..i + sub.len()) == Some(&sub[..]) {
                            c += 1;
                            i += sub.len();
                        } else {
                            i += 1;
                        }
                    }
                    return Ok(Value::Int(c));
                }
                let mut positions = (0..=hay.len().saturating_sub(sub.len())).filter(|&i| {
                    hay.get(i..i + sub.len()) == Some(&sub[..]) && i + sub.len() <= hay.len()
                });
                let pos = if n.starts_with('r') {
                    positions.next_back()
                } else {
                    positions.next()
                };
                let pos = if hay.len() < sub.len() { None } else { pos };
                match pos {
                    Some(p) => Ok(Value::Int((st + p) as i64)),
                    None => {
                        if n.ends_with("index") {
                            Err(self.exc_flow(Ty::ValueError, "subsection not found"))
                        } else {
                            Ok(Value::Int(-1))
                        }
                    }
                }
            }
            "replace" => {
                let old = self.bytes_arg(a0.as_ref())?;
                let new = self.bytes_arg(args.get(1))?;
                let count = match args.get(2) {
                    Some(v) => self.index_of(v)?,
                    None => -1,
                };
                if old.is_empty() {
                    let text: String = b.iter().map(|&c| c as char).collect();
                    let o: String = old.iter().map(|&c| c as char).collect();
                    let nw: String = new.iter().map(|&c| c as char).collect();
                    let r = if count < 0 {
                        text.replace(&o, &nw)
                    } else {
                        text.replacen(&o, &nw, count as usize)
                    };
                    return bytes(r.chars().map(|c| c as u32 as u8).collect());
                }
                let parts = split_bytes(&b, &old);
                let mut out = Vec::new();
                let mut done = 0i64;
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        if count < 0 || done < count {
                            out.extend_from_slice(&new);
                            done += 1;
                        } else {
                            out.extend_from_slice(&old);
                        }
                    }
                    out.extend_from_slice(p);
                }
                bytes(out)
            }
            "join" => {
                let items = self.iterate(os, &a0.unwrap_or(Value::None))?;
                let mut out = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(&b);
                    }
                    match it {
                        Value::Bytes(p) => out.extend_from_slice(p),
                        other => {
                            let t = self.type_name(other);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!(
                                    "sequence item {i}: expected a bytes-like object, {t} found"
                                ),
                            ));
                        }
                    }
                }
                bytes(out)
            }
            "partition" | "rpartition" => {
                let sep = self.bytes_arg(a0.as_ref())?;
                let pos = if n == "partition" {
                    (0..b.len()).find(|&i| b.get(i..i + sep.len()) == Some(&sep[..]))
                } else {
                    (0..b.len())
                        .rev()
                        .find(|&i| b.get(i..i + sep.len()) == Some(&sep[..]))
                };
                let e: Rc<[u8]> = Rc::from(&[][..]);
                type Parts = (Rc<[u8]>, Rc<[u8]>, Rc<[u8]>);
                let (x, y, z): Parts = match pos {
                    Some(p) => (
                        b.get(..p).unwrap_or(&[]).into(),
                        sep.clone(),
                        b.get(p + sep.len()..).unwrap_or(&[]).into(),
                    ),
                    None => {
                        if n == "partition" {
                            (b.clone(), e.clone(), e)
                        } else {
                            (e.clone(), e, b.clone())
                        }
                    }
                };
                let items = vec![Value::Bytes(x), Value::Bytes(y), Value::Bytes(z)];
                Ok(self.new_tuple(items))
            }
            "isdigit" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| c.is_ascii_digit()),
            )),
            "isalpha" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| c.is_ascii_alphabetic()),
            )),
            "isalnum" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| c.is_ascii_alphanumeric()),
            )),
            "isspace" => Ok(Value::Bool(
                !b.is_empty() && b.iter().all(|c| is_byte_space(*c)),
            )),
            "isascii" => Ok(Value::Bool(b.is_ascii())),
            "isupper" => Ok(Value::Bool(
                b.iter().any(|c| c.is_ascii_uppercase())
                    && !b.iter().any(|c| c.is_ascii_lowercase()),
            )),
            "islower" => Ok(Value::Bool(
                b.iter().any(|c| c.is_ascii_lowercase())
                    && !b.iter().any(|c| c.is_ascii_uppercase()),
            )),
            "__len__" => Ok(Value::Int(b.len() as i64)),
            _ => {
                // the rest act like the str methods on latin-1 text
                let text: String = b.iter().map(|&c| c as char).collect();
                let conv: Vec<Value> = args
                    .iter()
                    .map(|a| match a {
                        Value::Bytes(x) => {
                            Value::Str(x.iter().map(|&c| c as char).collect::<String>().into())
                        }
                        other => other.clone(),
                    })
                    .collect();
                let r = self.str_method(os, text.into(), n, conv, kw)?;
                Ok(match r {
                    Value::Str(s) => Value::Bytes(
                        s.chars()
                            .map(|c| c as u32 as u8)
                            .collect::<Vec<u8>>()
                            .into(),
                    ),
                    other => other,
                })
            }
        }
    }
}

pub(super) fn split_bytes(b: &[u8], sep: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= b.len() {
        if b.get(i..i + sep.len()) == Some(sep) {
            out.push(b.get(start..i).unwrap_or(&[]).to_vec());
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(b.get(start..).unwrap_or(&[]).to_vec());
    out
}
