//! `str()`, `repr()` and `ascii()` of every value, the safe repr used in
//! error messages, and the reprs of containers (with recursion guards).

use super::*;

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
        if out.len() > super::super::ops::MAX_ITEMS {
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
}
