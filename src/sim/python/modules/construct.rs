//! The built-in constructors: `int(…)`, `float(…)`, `bytes(…)`, `super()`,
//! `socket.socket(…)` and the other classes called as functions.

use crate::sim::python::builtins::take_kw;
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};
use std::rc::Rc;

impl Interp {
    // ------------------------------------------------------------ constructors

    pub(crate) fn construct(
        &mut self,
        os: &mut dyn Os,
        t: Ty,
        tv: &Value,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let name = t.name();
        let a0 = args.first().cloned();
        match t {
            Ty::Int => {
                let base = take_kw(&self.heap, &mut kw, "base").or_else(|| args.get(1).cloned());
                self.no_kw("int", &kw)?;
                self.nargs("int", &args, 0, 2)
                    .map_err(|_| self.exc_flow(Ty::TypeError, "int() takes at most 2 arguments"))?;
                self.int_of(os, a0, base)
            }
            Ty::Float => {
                self.nargs("float", &args, 0, 1)?;
                match a0 {
                    None => Ok(Value::float(0.0)),
                    Some(Value::Float(f)) => Ok(Value::Float(f)),
                    Some(Value::Int(i)) => Ok(Value::float(i as f64)),
                    Some(Value::Bool(b)) => Ok(Value::float(b as i64 as f64)),
                    Some(Value::Str(s)) => self.parse_float(&s, &Value::Str(s.clone())),
                    Some(Value::Bytes(b)) => {
                        let s: String = b.iter().map(|&c| c as char).collect();
                        self.parse_float(&s, &Value::Bytes(b))
                    }
                    Some(other) => {
                        let n = self.type_name(&other);
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!(
                                "float() argument must be a string or a real number, not '{n}'"
                            ),
                        ))
                    }
                }
            }
            Ty::Str => {
                let enc = take_kw(&self.heap, &mut kw, "encoding").or_else(|| args.get(1).cloned());
                let errors =
                    take_kw(&self.heap, &mut kw, "errors").or_else(|| args.get(2).cloned());
                self.no_kw("str", &kw)?;
                match (a0, enc, errors) {
                    (None, None, None) => Ok(Value::str("")),
                    (Some(v), None, None) => Ok(Value::Str(self.str_of(os, &v)?)),
                    (Some(Value::Bytes(b)), enc, errors) => {
                        let enc = match enc {
                            Some(Value::Str(s)) => s.to_string(),
                            _ => "utf-8".into(),
                        };
                        let errors = match errors {
                            Some(Value::Str(s)) => s.to_string(),
                            _ => "strict".into(),
                        };
                        Ok(Value::Str(self.decode_bytes(&b, &enc, &errors)?.into()))
                    }
                    (Some(v), _, _) => {
                        let n = self.type_name(&v);
                        Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("decoding to str: need a bytes-like object, {n} found"),
                        ))
                    }
                    _ => Ok(Value::str("")),
                }
            }
            Ty::Bool => {
                self.nargs("bool", &args, 0, 1)?;
                match a0 {
                    None => Ok(Value::Bool(false)),
                    Some(v) => Ok(Value::Bool(self.truthy(os, &v)?)),
                }
            }
            Ty::Bytes => {
                let enc = take_kw(&self.heap, &mut kw, "encoding").or_else(|| args.get(1).cloned());
                let errors =
                    take_kw(&self.heap, &mut kw, "errors").or_else(|| args.get(2).cloned());
                self.no_kw("bytes", &kw)?;
                match a0 {
                    None => Ok(Value::Bytes(Rc::from(&[][..]))),
                    Some(Value::Str(s)) => {
                        let Some(Value::Str(enc)) = enc else {
                            return Err(
                                self.exc_flow(Ty::TypeError, "string argument without an encoding")
                            );
                        };
                        let errors = match errors {
                            Some(Value::Str(e)) => e.to_string(),
                            _ => "strict".into(),
                        };
                        Ok(Value::Bytes(self.encode_text(&s, &enc, &errors)?.into()))
                    }
                    Some(Value::Int(n)) => {
                        if n < 0 {
                            return Err(self.exc_flow(Ty::ValueError, "negative count"));
                        }
                        if n as usize > super::super::ops::MAX_ITEMS {
                            return Err(self.exc_flow(Ty::MemoryError, ""));
                        }
                        Ok(Value::Bytes(vec![0u8; n as usize].into()))
                    }
                    Some(Value::Bytes(b)) => Ok(Value::Bytes(b)),
                    Some(v) => {
                        if matches!(v, Value::Float(_) | Value::None) {
                            let n = self.type_name(&v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("cannot convert '{n}' object to bytes"),
                            ));
                        }
                        let items = self.iterate(os, &v)?;
                        let mut out = Vec::with_capacity(items.len());
                        for it in items {
                            match it {
                                Value::Int(i) if (0..256).contains(&i) => out.push(i as u8),
                                Value::Int(_) => {
                                    return Err(self.exc_flow(
                                        Ty::ValueError,
                                        "bytes must be in range(0, 256)",
                                    ))
                                }
                                other => {
                                    let n = self.type_name(&other);
                                    return Err(self.exc_flow(
                                        Ty::TypeError,
                                        &format!(
                                            "'{n}' object cannot be interpreted as an integer"
                                        ),
                                    ));
                                }
                            }
                        }
                        Ok(Value::Bytes(out.into()))
                    }
                }
            }
            Ty::List | Ty::Tuple | Ty::Set => {
                self.no_kw(name, &kw)?;
                self.nargs(name, &args, 0, 1)?;
                let items = match a0 {
                    Some(v) => self.iterate(os, &v)?,
                    None => Vec::new(),
                };
                Ok(match t {
                    Ty::List => Value::Ref(self.heap.alloc(Obj::List(items))),
                    Ty::Tuple => self.new_tuple(items),
                    _ => self.new_set(items)?,
                })
            }
            Ty::Dict => {
                self.nargs("dict", &args, 0, 1)?;
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                let upd = self.heap.intern("update");
                self.call_method(os, &d, upd, args, kw)?;
                Ok(d)
            }
            Ty::Range => {
                self.no_kw("range", &kw)?;
                if args.is_empty() {
                    return Err(
                        self.exc_flow(Ty::TypeError, "range expected at least 1 argument, got 0")
                    );
                }
                if args.len() > 3 {
                    let n = args.len();
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("range expected at most 3 arguments, got {n}"),
                    ));
                }
                let mut ints = Vec::new();
                for a in &args {
                    ints.push(self.index_of(a)?);
                }
                let (a, b, c) = match ints.as_slice() {
                    [b] => (0, *b, 1),
                    [a, b] => (*a, *b, 1),
                    [a, b, c] => (*a, *b, *c),
                    _ => (0, 0, 1),
                };
                if c == 0 {
                    return Err(self.exc_flow(Ty::ValueError, "range() arg 3 must not be zero"));
                }
                Ok(Value::Ref(self.heap.alloc(Obj::Range(a, b, c))))
            }
            Ty::Slice => {
                let a = args.first().cloned().unwrap_or(Value::None);
                let (a, b, c) = match args.len() {
                    1 => (Value::None, a, Value::None),
                    _ => (
                        a,
                        args.get(1).cloned().unwrap_or(Value::None),
                        args.get(2).cloned().unwrap_or(Value::None),
                    ),
                };
                Ok(Value::Ref(self.heap.alloc(Obj::Slice(a, b, c))))
            }
            Ty::Enumerate => {
                let start = take_kw(&self.heap, &mut kw, "start").or_else(|| args.get(1).cloned());
                self.no_kw("enumerate", &kw)?;
                let Some(src) = a0 else {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        "enumerate() missing required argument 'iterable' (pos 1)",
                    ));
                };
                let it = self.get_iter(os, &src)?;
                let n = match start {
                    Some(s) => self.index_of(&s)?,
                    None => 0,
                };
                Ok(self.iter_obj(Iter::Enumerate(it, n)))
            }
            Ty::Zip => {
                let _ = take_kw(&self.heap, &mut kw, "strict");
                self.no_kw("zip", &kw)?;
                let mut its = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    match self.get_iter(os, a) {
                        Ok(it) => its.push(it),
                        Err(_) => {
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("zip argument #{} must support iteration", i + 1),
                            ));
                        }
                    }
                }
                Ok(self.iter_obj(Iter::Zip(its)))
            }
            Ty::Map => {
                if args.len() < 2 {
                    return Err(
                        self.exc_flow(Ty::TypeError, "map() must have at least two arguments.")
                    );
                }
                let f = args.first().cloned().unwrap_or(Value::None);
                let mut its = Vec::new();
                for a in args.iter().skip(1) {
                    its.push(self.get_iter(os, a)?);
                }
                Ok(self.iter_obj(Iter::Map(f, its)))
            }
            Ty::Filter => {
                self.nargs("filter", &args, 2, 2)?;
                let f = args.first().cloned().unwrap_or(Value::None);
                let it = self.get_iter(os, args.get(1).unwrap_or(&Value::None))?;
                Ok(self.iter_obj(Iter::Filter(f, it)))
            }
            Ty::Reversed => {
                self.nargs("reversed", &args, 1, 1)?;
                let v = a0.unwrap_or(Value::None);
                let n = match &v {
                    Value::Str(s) => s.chars().count(),
                    Value::Bytes(b) => b.len(),
                    Value::Ref(i) => match self.heap.get(*i) {
                        Some(Obj::List(l)) | Some(Obj::Tuple(l)) => l.len(),
                        Some(Obj::Range(a, b, c)) => {
                            super::super::ops::range_len(*a, *b, *c) as usize
                        }
                        Some(Obj::Dict(d)) => {
                            let keys: Vec<Value> = d.iter().rev().map(|(k, _)| k.clone()).collect();
                            let t = self.new_tuple(keys);
                            return Ok(self.iter_obj(Iter::Seq(t, 0)));
                        }
                        _ => {
                            let n = self.type_name(&v);
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                &format!("'{n}' object is not reversible"),
                            ));
                        }
                    },
                    _ => {
                        let n = self.type_name(&v);
                        return Err(self
                            .exc_flow(Ty::TypeError, &format!("'{n}' object is not reversible")));
                    }
                };
                Ok(self.iter_obj(Iter::Reversed(v, n)))
            }
            Ty::Type => {
                if args.len() == 1 {
                    return Ok(self.type_of(&args[0]));
                }
                Err(self.exc_flow(
                    Ty::TypeError,
                    "type() takes 1 argument here (creating classes with type() is not supported)",
                ))
            }
            Ty::Object => {
                if !args.is_empty() || !kw.is_empty() {
                    return Err(self.exc_flow(Ty::TypeError, "object() takes no arguments"));
                }
                Ok(self.new_instance(Value::Type(Ty::Object), Ty::Object, &[]))
            }
            Ty::Super => self.make_super(args),
            Ty::StaticMethod | Ty::ClassMethod => {
                self.nargs(name, &args, 1, 1)?;
                let f = a0.unwrap_or(Value::None);
                Ok(Value::Ref(self.heap.alloc(if t == Ty::StaticMethod {
                    Obj::StaticMethod(f)
                } else {
                    Obj::ClassMethod(f)
                })))
            }
            Ty::Property => {
                let g = take_kw(&self.heap, &mut kw, "fget")
                    .or(a0)
                    .unwrap_or(Value::None);
                let s = take_kw(&self.heap, &mut kw, "fset")
                    .or_else(|| args.get(1).cloned())
                    .unwrap_or(Value::None);
                Ok(Value::Ref(self.heap.alloc(Obj::Property(g, s))))
            }
            Ty::Socket => self.new_socket(os, args, kw),
            Ty::Selector => self.new_selector(os, args, kw),
            Ty::SelectorKey => self.new_selector_key(args, kw),
            Ty::Thread | Ty::Process => {
                let inst = self.new_instance(tv.clone(), t, &[]);
                self.thread_init(&inst, args, kw)?;
                Ok(inst)
            }
            Ty::MemoryFiles => {
                self.no_kw(name, &kw)?;
                self.memory_files(os, args)
            }
            Ty::Event => Ok(Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
                class: Value::Type(Ty::Event),
                attrs: Vec::new(),
                native: Native::Event(false),
            }))))),
            t if t.is_exception() => {
                if let Some((k, _)) = kw.first() {
                    let _ = k;
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("{name}() takes no keyword arguments"),
                    ));
                }
                // OSError(errno, strerror) becomes the errno's subclass (PEP 3151)
                let mut ty = t;
                if t == Ty::OSError && (2..=3).contains(&args.len()) {
                    if let Some(Value::Int(n)) = args.first() {
                        ty = super::super::exc::errno_class(*n as i32);
                    }
                }
                Ok(self.new_exc_args(ty, args))
            }
            _ => Err(self.exc_flow(Ty::TypeError, &format!("cannot create '{name}' instances"))),
        }
    }

    fn iter_obj(&mut self, it: Iter) -> Value {
        Value::Ref(self.heap.alloc(Obj::Iter(Box::new(it))))
    }

    /// The native `__init__` of a builtin base, for a user class without
    /// its own `__init__`.
    pub(crate) fn native_init(
        &mut self,
        _os: &mut dyn Os,
        inst: &Value,
        ty: Ty,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<()> {
        if ty == Ty::Thread || ty == Ty::Process {
            return self.thread_init(inst, args, kw);
        }
        if ty.is_exception() {
            return Ok(());
        }
        if !args.is_empty() || !kw.is_empty() {
            let n = self.type_name(inst);
            return Err(self.exc_flow(Ty::TypeError, &format!("{n}() takes no arguments")));
        }
        Ok(())
    }

    fn make_super(&mut self, args: Vec<Value>) -> R<Value> {
        let (cls, obj) = if args.len() >= 2 {
            (args[0].clone(), args[1].clone())
        } else {
            // zero-argument form: the function's class and its first argument
            let found = self.thread().and_then(|t| t.frames.last()).and_then(|f| {
                let fi = f.func?;
                let first = f.fast.first().cloned().flatten().or_else(|| {
                    // the first argument may live in a cell
                    let _ = fi;
                    None
                })?;
                Some((fi, first))
            });
            let Some((fi, first)) = found else {
                return Err(self.exc_flow(Ty::RuntimeError, "super(): no arguments"));
            };
            let class = match self.heap.get(fi) {
                Some(Obj::Func(f)) => f.class,
                _ => None,
            };
            let Some(c) = class else {
                return Err(self.exc_flow(Ty::RuntimeError, "super(): __class__ cell not found"));
            };
            (Value::Ref(c), first)
        };
        Ok(Value::Ref(self.heap.alloc(Obj::Super(cls, obj))))
    }

    pub(crate) fn int_of(
        &mut self,
        os: &mut dyn Os,
        v: Option<Value>,
        base: Option<Value>,
    ) -> R<Value> {
        let base = match base {
            None => None,
            Some(b) => Some(self.index_of(&b)?),
        };
        if let Some(b) = base {
            if b != 0 && !(2..=36).contains(&b) {
                return Err(
                    self.exc_flow(Ty::ValueError, "int() base must be >= 2 and <= 36, or 0")
                );
            }
        }
        match v {
            None => Ok(Value::Int(0)),
            Some(Value::Int(i)) if base.is_none() => Ok(Value::Int(i)),
            Some(Value::Bool(b)) if base.is_none() => Ok(Value::Int(b as i64)),
            Some(Value::Float(f)) if base.is_none() => {
                let x = f.0;
                if x.is_nan() {
                    return Err(
                        self.exc_flow(Ty::ValueError, "cannot convert float NaN to integer")
                    );
                }
                if x.is_infinite() {
                    return Err(self.exc_flow(
                        Ty::OverflowError,
                        "cannot convert float infinity to integer",
                    ));
                }
                let t = x.trunc();
                if t.abs() >= 9.223_372_036_854_776e18 {
                    return Err(self.overflow());
                }
                Ok(Value::Int(t as i64))
            }
            Some(Value::Str(s)) => self.parse_int(&s, base.unwrap_or(10), &Value::Str(s.clone())),
            Some(Value::Bytes(b)) => {
                let s: String = b.iter().map(|&c| c as char).collect();
                self.parse_int(&s, base.unwrap_or(10), &Value::Bytes(b))
            }
            Some(other) => {
                if base.is_some() {
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        "int() can't convert non-string with explicit base",
                    ));
                }
                let int_sym = self.heap.intern("__int__");
                if let Some(f) = self
                    .lookup_class_attr(&other, int_sym)
                    .filter(|_| self.heap.inst(&other).is_some())
                {
                    return self.call_sync(os, f, vec![other], Vec::new());
                }
                let n = self.type_name(&other);
                Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("int() argument must be a string, a bytes-like object or a real number, not '{n}'"),
                ))
            }
        }
    }

    fn parse_int(&mut self, s: &str, base: i64, orig: &Value) -> R<Value> {
        // digits of other scripts count, as in CPython
        let normalized: String = s
            .chars()
            .map(|c| match super::super::methods::decimal_value(c) {
                Some(d) if !c.is_ascii() => char::from_digit(d, 10).unwrap_or(c),
                _ => c,
            })
            .collect();
        let s = normalized.as_str();
        let err = |me: &mut Self| -> Flow {
            let r = me.safe_repr(orig);
            me.exc_flow(
                Ty::ValueError,
                &format!("invalid literal for int() with base {base}: {r}"),
            )
        };
        let t = s.trim_matches(|c: char| c.is_whitespace());
        let (neg, mut body) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let mut base = base;
        let lower = body.to_ascii_lowercase();
        for (p, b) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if lower.starts_with(p) && (base == b || base == 0) {
                base = b;
                body = body.get(2..).unwrap_or("");
                body = body.strip_prefix('_').unwrap_or(body);
                break;
            }
        }
        if base == 0 {
            if body.len() > 1 && body.starts_with('0') && body.chars().any(|c| c != '0' && c != '_')
            {
                return Err(err(self));
            }
            base = 10;
        }
        if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
            return Err(err(self));
        }
        let digits: String = body.chars().filter(|c| *c != '_').collect();
        if !digits.chars().all(|c| c.is_digit(base as u32)) {
            return Err(err(self));
        }
        match i64::from_str_radix(&digits, base as u32) {
            Ok(v) => Ok(Value::Int(if neg { -v } else { v })),
            Err(_) => {
                if neg && i128::from_str_radix(&digits, base as u32).ok() == Some(1i128 << 63) {
                    return Ok(Value::Int(i64::MIN));
                }
                Err(self.overflow())
            }
        }
    }

    fn parse_float(&mut self, s: &str, orig: &Value) -> R<Value> {
        let normalized: String = s
            .chars()
            .map(|c| match super::super::methods::decimal_value(c) {
                Some(d) if !c.is_ascii() => char::from_digit(d, 10).unwrap_or(c),
                _ => c,
            })
            .collect();
        let s = normalized.as_str();
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        let body = lower.trim_start_matches(['+', '-']);
        let neg = lower.starts_with('-');
        let special = match body {
            "inf" | "infinity" => Some(f64::INFINITY),
            "nan" => Some(f64::NAN),
            _ => None,
        };
        if let Some(x) = special {
            return Ok(Value::float(if neg { -x } else { x }));
        }
        let ok_chars = !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
            && !t.contains("__")
            && !t.starts_with('_')
            && !t.ends_with('_');
        let cleaned: String = t.chars().filter(|c| *c != '_').collect();
        match (ok_chars, super::super::float::parse(&cleaned)) {
            (true, Some(x)) => Ok(Value::float(x)),
            _ => {
                let r = self.safe_repr(orig);
                Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("could not convert string to float: {r}"),
                ))
            }
        }
    }
}
