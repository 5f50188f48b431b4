//! Methods called on a class (`str.upper(s)`, `dict.fromkeys`,
//! `int.from_bytes`) and on instances of native types (exceptions, sockets,
//! threads, locks, files…).

use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
    /// `str.upper` called on the class: the first argument is the receiver;
    /// `dict.fromkeys`, `int.from_bytes`, `bytes.fromhex` are class methods.
    pub(super) fn type_method(
        &mut self,
        os: &mut dyn Os,
        t: Ty,
        name: Sym,
        n: &str,
        mut args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        match (t, n) {
            (Ty::Dict, "fromkeys") => {
                let keys = args.first().cloned().unwrap_or(Value::None);
                let v = args.get(1).cloned().unwrap_or(Value::None);
                let items = self.iterate(os, &keys)?;
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                for k in items {
                    self.dict_set(&d, k, v.clone())?;
                }
                return Ok(d);
            }
            (Ty::Int, "from_bytes") => return self.int_from_bytes(os, args, kw),
            (Ty::Bytes, "fromhex") => {
                let s = match args.first() {
                    Some(Value::Str(s)) => s.clone(),
                    _ => return Err(self.exc_flow(Ty::TypeError, "fromhex() argument must be str")),
                };
                let digits: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
                let mut out = Vec::new();
                for (k, pair) in digits.chunks(2).enumerate() {
                    let h: String = pair.iter().collect();
                    match u8::from_str_radix(&h, 16) {
                        Ok(b) if h.len() == 2 => out.push(b),
                        _ => {
                            return Err(self.exc_flow(
                                Ty::ValueError,
                                &format!(
                                    "non-hexadecimal number found in fromhex() arg at position {}",
                                    k * 2
                                ),
                            ))
                        }
                    }
                }
                return Ok(Value::Bytes(out.into()));
            }
            (Ty::Str, "maketrans") => {
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                if let (Some(Value::Str(a)), Some(Value::Str(b))) = (args.first(), args.get(1)) {
                    for (x, y) in a.chars().zip(b.chars()) {
                        self.dict_set(&d, Value::Int(x as i64), Value::Int(y as i64))?;
                    }
                } else if let Some(m) = args.first() {
                    for (k, v) in self.dict_items(m)? {
                        let k = match k {
                            Value::Str(s) => {
                                Value::Int(s.chars().next().map(|c| c as i64).unwrap_or(0))
                            }
                            other => other,
                        };
                        self.dict_set(&d, k, v)?;
                    }
                }
                return Ok(d);
            }
            _ => {}
        }
        if args.is_empty() {
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!("unbound method {}.{n}() needs an argument", t.name()),
            ));
        }
        let recv = args.remove(0);
        if t.is_exception() || t == Ty::Object || t == Ty::Thread || t == Ty::Process {
            // Base.__init__(self, …) and friends act on the instance
            return self.call_method(os, &recv, name, args, kw);
        }
        self.call_method(os, &recv, name, args, kw)
    }

    pub(super) fn inst_method(
        &mut self,
        os: &mut dyn Os,
        recv: &Value,
        name: Sym,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let kind = match self.heap.inst(recv).map(|i| &i.native) {
            Some(Native::Exc(_)) => 0,
            Some(Native::Socket(_)) => 1,
            Some(Native::Thread(_)) => 2,
            Some(Native::Lock { .. }) => 3,
            Some(Native::Event(_)) => 4,
            Some(Native::File(_)) => 5,
            Some(Native::Stream(_)) => 6,
            Some(Native::HttpRequest(_) | Native::HttpReply(_)) => 8,
            Some(Native::Selector(_)) => 9,
            _ => 7,
        };
        match kind {
            0 => match n {
                "__init__" => {
                    if let Some(x) = self.heap.exc_mut(recv) {
                        x.args = args;
                    }
                    Ok(Value::None)
                }
                "with_traceback" | "add_note" => Ok(recv.clone()),
                "__str__" => Ok(Value::str(&self.exc_str_native(os, recv))),
                "__repr__" => Ok(Value::Str(self.repr(os, recv)?)),
                _ => Err(self.attr_error(recv, name)),
            },
            1 => self.socket_method(os, recv, n, args, kw),
            2 => self.thread_method(os, recv, n, args, kw),
            3 => self.lock_method(os, recv, n, args, kw),
            4 => self.event_method(os, recv, n, args, kw),
            5 => self.file_method(os, recv, n, args, kw),
            6 => self.stream_method(os, recv, n, args),
            8 => self.http_method(os, recv, name, n, args),
            9 => self.selector_method(os, recv, name, n, args, kw),
            _ => match n {
                "__init__" => {
                    if !args.is_empty() || !kw.is_empty() {
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            "object.__init__() takes exactly one argument (the instance to initialize)",
                        ));
                    }
                    Ok(Value::None)
                }
                "__str__" | "__repr__" => Ok(Value::Str(self.repr_plain(recv))),
                "__eq__" => Ok(match args.first() {
                    Some(o) if o == recv => Value::Bool(true),
                    _ => Value::NotImplemented,
                }),
                "__ne__" => Ok(match args.first() {
                    Some(o) => Value::Bool(o != recv),
                    _ => Value::NotImplemented,
                }),
                "__hash__" => Ok(Value::Int(self.id_of(recv) >> 4)),
                "__format__" => Ok(Value::Str(self.str_of(os, recv)?)),
                _ => Err(self.attr_error(recv, name)),
            },
        }
    }

    fn exc_str_native(&mut self, os: &mut dyn Os, e: &Value) -> String {
        // BaseException.__str__ (ignoring an override, which is the caller)
        let args = self.heap.exc(e).map(|x| x.args.clone()).unwrap_or_default();
        match args.len() {
            0 => String::new(),
            1 => self
                .str_of(os, &args[0])
                .map(|s| s.to_string())
                .unwrap_or_default(),
            _ => {
                let t = self.new_tuple(args);
                self.repr(os, &t).map(|s| s.to_string()).unwrap_or_default()
            }
        }
    }

    fn repr_plain(&mut self, v: &Value) -> Rc<str> {
        Rc::from(self.safe_repr(v))
    }
}
