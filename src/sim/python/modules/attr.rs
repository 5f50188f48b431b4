//! Attributes of native objects (sockets, threads, files, exceptions…):
//! reading and setting them.

use crate::sim::python::value::*;
use crate::sim::python::vm::R;
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ attributes of natives

    pub(crate) fn native_attr(
        &mut self,
        _os: &mut dyn Os,
        obj: &Value,
        name: Sym,
    ) -> R<Option<Value>> {
        let n = self.heap.name_rc(name);
        let Some(inst) = self.heap.inst(obj) else {
            return Ok(None);
        };
        Ok(match &inst.native {
            Native::Exc(_) => self.exc_attr(obj, &n),
            Native::Socket(s) => match &*n {
                "family" => Some(Value::Int(s.family)),
                "type" => Some(Value::Int(s.kind)),
                "proto" => Some(Value::Int(0)),
                "timeout" => Some(match s.timeout {
                    Some(t) => Value::Float(t),
                    None => Value::None,
                }),
                _ => None,
            },
            Native::Thread(t) if t.process.is_some() => {
                let p = t.process.as_deref().cloned().unwrap_or_default();
                let opt = |v: Option<i64>| v.map(Value::Int).unwrap_or(Value::None);
                match &*n {
                    "name" => Some(Value::Str(t.name.clone())),
                    "daemon" => Some(Value::Bool(t.daemon)),
                    "pid" | "ident" => Some(opt(p.pid)),
                    "exitcode" => Some(opt(p.exitcode)),
                    "_target" => Some(t.target.clone()),
                    "_args" => Some(t.args.clone()),
                    _ => None,
                }
            }
            Native::Thread(t) => match &*n {
                "name" => Some(Value::Str(t.name.clone())),
                "daemon" => Some(Value::Bool(t.daemon)),
                "ident" | "native_id" => Some(if t.ix.is_some() || t.main {
                    Value::Int(t.ident)
                } else {
                    Value::None
                }),
                "_target" => Some(t.target.clone()),
                "_args" => Some(t.args.clone()),
                _ => None,
            },
            Native::File(f) => match &*n {
                "name" => Some(Value::Str(f.name.clone())),
                "mode" => Some(Value::Str(f.mode.clone())),
                "closed" => Some(Value::Bool(f.closed)),
                "encoding" if f.text.is_some() => Some(Value::Str(f.encoding.clone())),
                _ => None,
            },
            Native::Stream(s) => match &*n {
                "name" => Some(Value::str(
                    ["<stdin>", "<stdout>", "<stderr>"][(*s as usize).min(2)],
                )),
                "encoding" => Some(Value::str("utf-8")),
                "closed" => Some(Value::Bool(false)),
                _ => None,
            },
            n2 @ (Native::HttpRequest(_) | Native::HttpReply(_)) => Self::http_attr(n2, &n),
            Native::SelectorKey(k) => Self::key_attr(k, &n),
            Native::Event(_)
            | Native::Lock { .. }
            | Native::Site(_)
            | Native::Selector(_)
            | Native::None => None,
        })
    }

    pub(crate) fn set_native_attr(
        &mut self,
        os: &mut dyn Os,
        obj: &Value,
        name: Sym,
        v: &Value,
    ) -> R<bool> {
        let n = self.heap.name_rc(name);
        let is_thread = matches!(
            self.heap.inst(obj).map(|i| &i.native),
            Some(Native::Thread(_))
        );
        if !is_thread {
            return Ok(false);
        }
        match &*n {
            "daemon" => {
                let started = matches!(self.heap.inst(obj).map(|i| &i.native), Some(Native::Thread(t)) if t.ix.is_some() || t.main);
                if started {
                    return Err(self.exc_flow(
                        Ty::RuntimeError,
                        "cannot set daemon status of active thread",
                    ));
                }
                let d = self.truthy(os, v)?;
                if let Some(Native::Thread(t)) = self.heap.inst_mut(obj).map(|i| &mut i.native) {
                    t.daemon = d;
                }
                Ok(true)
            }
            "name" => {
                let s = self.str_of(os, v)?;
                if let Some(Native::Thread(t)) = self.heap.inst_mut(obj).map(|i| &mut i.native) {
                    t.name = s;
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
