//! Helpers of the loop and of built-ins: cell names, `*` errors, output to
//! the host, host calls, `f(*args, **kwargs)` expansion, callable names,
//! socket bookkeeping.

use super::*;

impl Interp {
    pub(super) fn cell_name(&mut self, i: u32) -> String {
        let Some(f) = self.thread().and_then(|t| t.frames.last()) else {
            return String::new();
        };
        let nc = f.code.cellvars.len();
        let s = if (i as usize) < nc {
            f.code.cellvars.get(i as usize)
        } else {
            f.code.freevars.get(i as usize - nc)
        };
        s.map(|s| self.heap.name(*s).to_string())
            .unwrap_or_default()
    }

    pub(super) fn star_error(&mut self, e: Flow, v: &Value) -> Flow {
        match &e {
            Flow::Exc(x) if self.exc_type_name(x) == "TypeError" => {
                let n = self.type_name(v);
                self.exc_flow(
                    Ty::TypeError,
                    &format!("Value after * must be an iterable, not {n}"),
                )
            }
            _ => e,
        }
    }

    /// Writes to the host's stdout/stderr.
    pub(crate) fn write(&mut self, os: &mut dyn Os, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        let line = self.cur_line();
        let _ = os.call(
            self.cur as u32,
            line,
            OsCall::Write {
                stream,
                text: text.to_string(),
            },
        );
    }

    /// Makes a call to the host; a failure becomes the matching exception.
    pub(crate) fn os_call(&mut self, os: &mut dyn Os, call: OsCall) -> R<OsValue> {
        let line = self.cur_line();
        match os.call(self.cur as u32, line, call) {
            OsReply::Done(v) => Ok(v),
            OsReply::Blocked => Err(Flow::Block(Blocker::Os)),
            OsReply::Failed(e) => Err(self.os_error(e)),
        }
    }

    /// `f(*args, **kwargs)`'s arguments, with CPython's messages when they
    /// are not an iterable and a mapping.
    pub(crate) fn expand_call_args(
        &mut self,
        os: &mut dyn Os,
        f: &Value,
        args: &Value,
        kwargs: &Value,
    ) -> R<Expanded> {
        let items = match args {
            Value::None => Vec::new(),
            a => match self.seq_items(a) {
                Ok(v) => v,
                Err(_) => match self.iterate(os, a) {
                    Ok(v) => v,
                    Err(Flow::Exc(e)) if self.exc_is(&e, Ty::TypeError) => {
                        let fs = self.func_str(f);
                        let t = self.type_name(a);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{fs}() argument after * must be an iterable, not {t}"),
                        ));
                    }
                    Err(e) => return Err(e),
                },
            },
        };
        let mut kw = Vec::new();
        if *kwargs != Value::None {
            let pairs = match self.dict_items(kwargs) {
                Ok(p) => p,
                Err(_) => {
                    let fs = self.func_str(f);
                    let t = self.type_name(kwargs);
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("{fs}() argument after ** must be a mapping, not {t}"),
                    ));
                }
            };
            for (k, v) in pairs {
                match k {
                    Value::Str(s) => kw.push((self.heap.intern(&s), v)),
                    _ => return Err(self.exc_flow(Ty::TypeError, "keywords must be strings")),
                }
            }
        }
        Ok((items, kw))
    }

    /// How CPython names a callable in messages: `__main__.handle`, `print`.
    pub(crate) fn func_str(&self, f: &Value) -> String {
        match f {
            Value::Builtin(b) => b.name().to_string(),
            Value::Type(t) => t.name().to_string(),
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Func(func)) => {
                    let m = self.module_name(func.globals);
                    format!("{m}.{}", func.code.qualname)
                }
                Some(Obj::Bound(_, g)) => self.func_str(g),
                Some(Obj::Class(c)) => format!("{}.{}", c.module, c.qualname),
                Some(Obj::BoundNative(s, n)) => {
                    format!("{}.{}", self.type_name(s), self.heap.name(*n))
                }
                _ => self.type_name(f),
            },
            _ => self.type_name(f),
        }
    }

    /// Whether a popped frame held a socket object (then a collection runs
    /// soon, as CPython would close a socket whose last reference went).
    pub(super) fn holds_socket(&self, f: &Frame) -> bool {
        f.fast
            .iter()
            .flatten()
            .chain(f.stack.iter())
            .any(|v| self.is_socket(v))
    }

    pub(crate) fn is_socket(&self, v: &Value) -> bool {
        matches!(self.heap.inst(v).map(|i| &i.native), Some(Native::Socket(s)) if !s.closed)
    }

    /// A value was overwritten or dropped: if it was an open socket, a
    /// collection runs at the next statement.
    pub(super) fn note_drop(&mut self, v: &Value) {
        if self.is_socket(v) {
            self.gc_pending = true;
        }
    }

    pub(crate) fn class_of_exc(&self, e: &Value) -> Option<Value> {
        self.heap.inst(e).map(|i| i.class.clone())
    }
}
