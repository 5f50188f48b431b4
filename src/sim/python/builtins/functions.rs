//! The built-in functions (`print`, `len`, `isinstance`, `divmod`, `min`,
//! `max`…): calling them, with CPython's argument checks and messages.

use super::{sort_names, take_kw, S_ABS};
use crate::sim::python::os::{OsCall, OsValue, Stream};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
    pub(crate) fn call_builtin(
        &mut self,
        os: &mut dyn Os,
        f: Bf,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let a0 = args.first().cloned().unwrap_or(Value::None);
        let a1 = args.get(1).cloned().unwrap_or(Value::None);
        match f {
            Bf::Print => {
                let sep = take_kw(&self.heap, &mut kw, "sep");
                let end = take_kw(&self.heap, &mut kw, "end");
                let file = take_kw(&self.heap, &mut kw, "file");
                let _flush = take_kw(&self.heap, &mut kw, "flush");
                self.no_kw("print", &kw)?;
                let sep = match sep {
                    None | Some(Value::None) => Rc::from(" "),
                    Some(Value::Str(s)) => s,
                    Some(v) => {
                        let n = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("sep must be None or a string, not {n}"),
                        ));
                    }
                };
                let end = match end {
                    None | Some(Value::None) => Rc::from("\n"),
                    Some(Value::Str(s)) => s,
                    Some(v) => {
                        let n = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("end must be None or a string, not {n}"),
                        ));
                    }
                };
                let mut text = String::new();
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        text.push_str(&sep);
                    }
                    let s = self.str_of(os, a)?;
                    text.push_str(&s);
                }
                text.push_str(&end);
                let stream = match file {
                    None | Some(Value::None) => Stream::Stdout,
                    Some(f) => match self.heap.inst(&f).map(|i| &i.native) {
                        Some(Native::Stream(2)) => Stream::Stderr,
                        Some(Native::Stream(_)) => Stream::Stdout,
                        _ => {
                            // any object with write()
                            let w = self.heap.intern("write");
                            let m = self.getattr(os, &f, w)?;
                            self.call_sync(os, m, vec![Value::Str(text.into())], Vec::new())?;
                            return Ok(Value::None);
                        }
                    },
                };
                self.os_call(os, OsCall::Write { stream, text })?;
                Ok(Value::None)
            }
            Bf::Len => {
                self.no_kw("len", &kw)?;
                self.nargs("len", &args, 1, 1)?;
                let n = self.len_of(os, &a0)?;
                Ok(Value::Int(n as i64))
            }
            Bf::Repr => {
                self.nargs("repr", &args, 1, 1)?;
                Ok(Value::Str(self.repr(os, &a0)?))
            }
            Bf::Ascii => {
                self.nargs("ascii", &args, 1, 1)?;
                Ok(Value::Str(self.ascii(os, &a0)?))
            }
            Bf::Abs => {
                self.nargs("abs", &args, 1, 1)?;
                match a0 {
                    Value::Int(i) => match i.checked_abs() {
                        Some(v) => Ok(Value::Int(v)),
                        None => Err(self.overflow()),
                    },
                    Value::Bool(b) => Ok(Value::Int(b as i64)),
                    Value::Float(f) => Ok(Value::float(f.0.abs())),
                    other => {
                        if let Some(m) = self.lookup_class_attr(&other, S_ABS) {
                            return self.call_sync(os, m, vec![other], Vec::new());
                        }
                        let n = self.type_name(&other);
                        Err(self
                            .exc_flow(Ty::TypeError, &format!("bad operand type for abs(): '{n}'")))
                    }
                }
            }
            Bf::Min | Bf::Max => self.min_max(os, f == Bf::Max, args, kw),
            Bf::Sum => {
                let start = take_kw(&self.heap, &mut kw, "start");
                self.no_kw("sum", &kw)?;
                self.nargs("sum", &args, 1, 2)?;
                let mut acc =
                    start.unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::Int(0)));
                if let Value::Str(_) = acc {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                let items = self.iterate(os, &a0)?;
                for it in items {
                    acc = match (&acc, &it) {
                        (Value::Int(a), Value::Int(b)) => match a.checked_add(*b) {
                            Some(v) => Value::Int(v),
                            None => return Err(self.overflow()),
                        },
                        _ => self.binary(os, super::super::ast::BinOp::Add, &acc, &it, false)?,
                    };
                }
                Ok(acc)
            }
            Bf::Sorted => {
                let key = take_kw(&self.heap, &mut kw, "key");
                let rev = take_kw(&self.heap, &mut kw, "reverse");
                self.no_kw("sorted", &kw)?;
                if args.len() != 1 {
                    let n = args.len();
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("sorted expected 1 argument, got {n}"),
                    ));
                }
                let mut items = self.iterate(os, &a0)?;
                let rev = match rev {
                    Some(r) => self.truthy(os, &r)?,
                    None => false,
                };
                self.sort_values(os, &mut items, key, rev)?;
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            Bf::Any | Bf::All => {
                let name = if f == Bf::Any { "any" } else { "all" };
                self.nargs(name, &args, 1, 1)?;
                let it = self.get_iter(os, &a0)?;
                while let Some(v) = self.next(os, &it)? {
                    let t = self.truthy(os, &v)?;
                    if f == Bf::Any && t {
                        return Ok(Value::Bool(true));
                    }
                    if f == Bf::All && !t {
                        return Ok(Value::Bool(false));
                    }
                }
                Ok(Value::Bool(f == Bf::All))
            }
            Bf::Ord => {
                self.nargs("ord", &args, 1, 1)?;
                match &a0 {
                    Value::Str(s) => {
                        let mut cs = s.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) => Ok(Value::Int(c as i64)),
                            _ => {
                                let n = s.chars().count();
                                Err(self.exc_flow(
                                    Ty::TypeError,
                                    &format!("ord() expected a character, but string of length {n} found"),
                                ))
                            }
                        }
                    }
                    Value::Bytes(b) if b.len() == 1 => Ok(Value::Int(b[0] as i64)),
                    Value::Bytes(b) => {
                        let n = b.len();
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("ord() expected a character, but string of length {n} found"),
                        ))
                    }
                    other => {
                        let n = self.type_name(other);
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("ord() expected string of length 1, but {n} found"),
                        ))
                    }
                }
            }
            Bf::Chr => {
                self.nargs("chr", &args, 1, 1)?;
                let i = self.index_of(&a0)?;
                match u32::try_from(i).ok().and_then(char::from_u32) {
                    Some(c) => Ok(Value::Str(c.to_string().into())),
                    None if (0..0x110000).contains(&i) => {
                        // a lone surrogate: not representable here
                        Ok(Value::str("\u{FFFD}"))
                    }
                    None => Err(self.exc_flow(Ty::ValueError, "chr() arg not in range(0x110000)")),
                }
            }
            Bf::Hex | Bf::Oct | Bf::Bin => {
                let name = f.name();
                self.nargs(name, &args, 1, 1)?;
                let i = self.index_of(&a0)?;
                let (neg, mag) = (i < 0, i.unsigned_abs());
                let body = match f {
                    Bf::Hex => format!("0x{mag:x}"),
                    Bf::Oct => format!("0o{mag:o}"),
                    _ => format!("0b{mag:b}"),
                };
                Ok(Value::Str(
                    if neg { format!("-{body}") } else { body }.into(),
                ))
            }
            Bf::HasAttr => {
                self.nargs("hasattr", &args, 2, 2)?;
                let name = self.attr_name_arg(&a1)?;
                match self.getattr(os, &a0, name) {
                    Ok(_) => Ok(Value::Bool(true)),
                    Err(Flow::Exc(e)) | Err(Flow::Reraise(e)) => {
                        if self.exc_is(&e, Ty::AttributeError) {
                            Ok(Value::Bool(false))
                        } else {
                            Err(Flow::Exc(e))
                        }
                    }
                    Err(b) => Err(b),
                }
            }
            Bf::GetAttr => {
                self.nargs("getattr", &args, 2, 3)?;
                let name = self.attr_name_arg(&a1)?;
                match self.getattr(os, &a0, name) {
                    Ok(v) => Ok(v),
                    Err(Flow::Exc(e)) | Err(Flow::Reraise(e)) => {
                        if let (Some(d), true) = (args.get(2), self.exc_is(&e, Ty::AttributeError))
                        {
                            Ok(d.clone())
                        } else {
                            Err(Flow::Exc(e))
                        }
                    }
                    Err(b) => Err(b),
                }
            }
            Bf::SetAttr => {
                self.nargs("setattr", &args, 3, 3)?;
                let name = self.attr_name_arg(&a1)?;
                let v = args.get(2).cloned().unwrap_or(Value::None);
                self.setattr(os, &a0, name, v)?;
                Ok(Value::None)
            }
            Bf::DelAttr => {
                self.nargs("delattr", &args, 2, 2)?;
                let name = self.attr_name_arg(&a1)?;
                self.delattr(&a0, name)?;
                Ok(Value::None)
            }
            Bf::Id => {
                self.nargs("id", &args, 1, 1)?;
                Ok(Value::Int(self.id_of(&a0)))
            }
            Bf::Hash => {
                self.nargs("hash", &args, 1, 1)?;
                Ok(Value::Int(self.hash(os, &a0)?))
            }
            Bf::Round => {
                let nd = take_kw(&self.heap, &mut kw, "ndigits");
                self.no_kw("round", &kw)?;
                self.nargs("round", &args, 1, 2)?;
                let nd = nd.or_else(|| args.get(1).cloned());
                self.round(os, &a0, nd)
            }
            Bf::DivMod => {
                self.nargs("divmod", &args, 2, 2)?;
                let q = self
                    .binary(os, super::super::ast::BinOp::FloorDiv, &a0, &a1, false)
                    .map_err(|e| self.divmod_msg(e))?;
                let r = self.binary(os, super::super::ast::BinOp::Mod, &a0, &a1, false)?;
                Ok(self.new_tuple(vec![q, r]))
            }
            Bf::Pow => {
                self.nargs("pow", &args, 2, 3)?;
                if let Some(m) = args.get(2) {
                    if *m != Value::None {
                        return self.pow_mod(&a0, &a1, m);
                    }
                }
                self.binary(os, super::super::ast::BinOp::Pow, &a0, &a1, false)
            }
            Bf::Iter => {
                self.nargs("iter", &args, 1, 2)?;
                if let Some(sentinel) = args.get(1) {
                    let it = Iter::Callable(a0, sentinel.clone());
                    return Ok(Value::Ref(self.heap.alloc(Obj::Iter(Box::new(it)))));
                }
                self.get_iter(os, &a0)
            }
            Bf::Next => {
                self.nargs("next", &args, 1, 2)?;
                if !self.is_iterator(&a0) {
                    let n = self.type_name(&a0);
                    return Err(
                        self.exc_flow(Ty::TypeError, &format!("'{n}' object is not an iterator"))
                    );
                }
                match self.next(os, &a0)? {
                    Some(v) => Ok(v),
                    None => match args.get(1) {
                        Some(d) => Ok(d.clone()),
                        None => {
                            let e = self.new_exc_args(Ty::StopIteration, Vec::new());
                            Err(Flow::Exc(e))
                        }
                    },
                }
            }
            Bf::Callable => {
                self.nargs("callable", &args, 1, 1)?;
                Ok(Value::Bool(self.is_callable(&a0)))
            }
            Bf::Input => {
                self.nargs("input", &args, 0, 1)?;
                let prompt = match args.first() {
                    Some(v) => self.str_of(os, v)?.to_string(),
                    None => String::new(),
                };
                match self.os_call(os, OsCall::Input { prompt })? {
                    OsValue::Str(s) => Ok(Value::Str(s.into())),
                    OsValue::Bytes(b) => Ok(Value::Str(String::from_utf8_lossy(&b).into())),
                    _ => Err(self.exc_flow(Ty::EOFError, "EOF when reading a line")),
                }
            }
            Bf::IsInstance => {
                self.nargs("isinstance", &args, 2, 2)?;
                let r = self.isinstance(&a0, &a1)?;
                Ok(Value::Bool(r))
            }
            Bf::IsSubclass => {
                self.nargs("issubclass", &args, 2, 2)?;
                if !self.is_class(&a0) {
                    return Err(self.exc_flow(Ty::TypeError, "issubclass() arg 1 must be a class"));
                }
                let r = self.issubclass_any(&a0, &a1)?;
                Ok(Value::Bool(r))
            }
            Bf::Format => {
                self.nargs("format", &args, 1, 2)?;
                let spec = match args.get(1) {
                    Some(Value::Str(s)) => s.clone(),
                    Some(_) => {
                        return Err(self.exc_flow(Ty::TypeError, "format() argument 2 must be str"))
                    }
                    None => Rc::from(""),
                };
                Ok(Value::Str(self.format(os, &a0, &spec)?))
            }
            Bf::Open => self.open(os, args, kw),
            Bf::Globals | Bf::Locals | Bf::Vars => {
                // a snapshot (writes to it are not seen by the module)
                let g = self.cur_globals();
                let items: Vec<(Value, Value)> = match self.heap.get(g) {
                    Some(Obj::Module(m)) => {
                        m.ns.iter()
                            .map(|(k, v)| (Value::Str(self.heap.name_rc(*k)), v.clone()))
                            .collect()
                    }
                    _ => Vec::new(),
                };
                if f == Bf::Vars && !args.is_empty() {
                    let attrs: Vec<(Value, Value)> = match self.heap.inst(&a0) {
                        Some(i) => i
                            .attrs
                            .iter()
                            .map(|(k, v)| (Value::Str(self.heap.name_rc(*k)), v.clone()))
                            .collect(),
                        None => {
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                "vars() argument must have __dict__ attribute",
                            ))
                        }
                    };
                    return Ok(Value::Ref(self.heap.alloc(Obj::Dict(attrs))));
                }
                Ok(Value::Ref(self.heap.alloc(Obj::Dict(items))))
            }
            Bf::Dir => {
                let mut names: Vec<Rc<str>> = match args.first() {
                    Some(v) => match self.heap.inst(v) {
                        Some(i) => i.attrs.iter().map(|(k, _)| self.heap.name_rc(*k)).collect(),
                        None => match v {
                            Value::Ref(i) => match self.heap.get(*i) {
                                Some(Obj::Module(m)) => {
                                    m.ns.iter().map(|(k, _)| self.heap.name_rc(*k)).collect()
                                }
                                Some(Obj::Class(c)) => {
                                    c.ns.iter().map(|(k, _)| self.heap.name_rc(*k)).collect()
                                }
                                _ => Vec::new(),
                            },
                            _ => Vec::new(),
                        },
                    },
                    None => {
                        let g = self.cur_globals();
                        match self.heap.get(g) {
                            Some(Obj::Module(m)) => {
                                m.ns.iter().map(|(k, _)| self.heap.name_rc(*k)).collect()
                            }
                            _ => Vec::new(),
                        }
                    }
                };
                sort_names(&mut names);
                let items = names.into_iter().map(Value::Str).collect();
                Ok(Value::Ref(self.heap.alloc(Obj::List(items))))
            }
            Bf::Exit | Bf::SysExit => {
                let e = self.new_exc_args(Ty::SystemExit, args);
                Err(Flow::Exc(e))
            }
            _ => self.call_module_fn(os, f, args, kw),
        }
    }

    fn attr_name_arg(&mut self, v: &Value) -> R<Sym> {
        match v {
            Value::Str(s) => Ok(self.heap.intern(s)),
            other => {
                let n = self.type_name(other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("attribute name must be string, not '{n}'"),
                ))
            }
        }
    }

    fn divmod_msg(&mut self, e: Flow) -> Flow {
        match &e {
            Flow::Exc(x) if self.exc_is(x, Ty::ZeroDivisionError) => {
                let s = self
                    .heap
                    .exc(x)
                    .and_then(|x| x.args.first().cloned())
                    .unwrap_or(Value::None);
                if s == Value::str("integer division or modulo by zero") {
                    return self
                        .exc_flow(Ty::ZeroDivisionError, "integer division or modulo by zero");
                }
                if s == Value::str("float floor division by zero") {
                    return self.exc_flow(Ty::ZeroDivisionError, "float divmod()");
                }
                e
            }
            _ => e,
        }
    }

    fn min_max(
        &mut self,
        os: &mut dyn Os,
        is_max: bool,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let name = if is_max { "max" } else { "min" };
        let key = take_kw(&self.heap, &mut kw, "key");
        let default = take_kw(&self.heap, &mut kw, "default");
        self.no_kw(name, &kw)?;
        let items = match args.len() {
            0 => {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{name} expected at least 1 argument, got 0"),
                ))
            }
            1 => {
                let a = args.into_iter().next().unwrap_or(Value::None);
                self.iterate(os, &a)?
            }
            _ => args,
        };
        let key = key.filter(|k| *k != Value::None);
        let mut best: Option<(Value, Value)> = None;
        for it in items {
            let k = match &key {
                Some(kf) => self.call_sync(os, kf.clone(), vec![it.clone()], Vec::new())?,
                None => it.clone(),
            };
            best = match best {
                None => Some((k, it)),
                Some((bk, bv)) => {
                    let op = if is_max {
                        super::super::ast::CmpOp::Gt
                    } else {
                        super::super::ast::CmpOp::Lt
                    };
                    let better = self.compare(os, op, &k, &bk)?;
                    if self.truthy(os, &better)? {
                        Some((k, it))
                    } else {
                        Some((bk, bv))
                    }
                }
            };
        }
        match best {
            Some((_, v)) => Ok(v),
            None => match default {
                Some(d) => Ok(d),
                None => Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("{name}() arg is an empty sequence"),
                )),
            },
        }
    }
}
