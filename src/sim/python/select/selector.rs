//! `selectors.DefaultSelector` and `SelectorKey`: creating them, the
//! selector's methods (`register`, `modify`, `unregister`, `select`,
//! `get_key`, `get_map`, `close`) and the keys' fields.

use super::{
    Params, EVENT_READ, EVENT_WRITE, GET_KEY_CLOSED, GET_KEY_KEY, GET_KEY_MAP, GET_KEY_PARAMS,
    KEY_PARAMS, LOOKUP, MAPPING_LOOKUP, MODIFY_EPOLL, MODIFY_KEY, MODIFY_LOOKUP, MODIFY_PARAMS,
    REGISTER, REGISTER_DUP, REGISTER_EPOLL, REGISTER_EVENTS, REGISTER_EVENTS_TYPE, REGISTER_LOOKUP,
    REGISTER_PARAMS, SELECT_CLOSED, SELECT_PARAMS, SELECT_TIMEOUT, TO_FD_NEGATIVE, TO_FD_OBJECT,
    UNREGISTER, UNREGISTER_KEY, UNREGISTER_LOOKUP, UNREGISTER_PARAMS,
};
use crate::sim::event::EpollOp;
use crate::sim::python::os::{OsCall, OsValue};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, R};
use crate::sim::python::{Interp, Os};

impl Interp {
    // ------------------------------------------------------------ selectors

    /// `selectors.DefaultSelector()`: a new epoll fd.
    pub(crate) fn new_selector(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        if !args.is_empty() || !kw.is_empty() {
            return Err(self.exc_flow(
                Ty::TypeError,
                "_PollLikeSelector.__init__() takes 1 positional argument but more were given",
            ));
        }
        let epfd = match self.os_call(os, OsCall::EpollCreate)? {
            OsValue::Int(fd) => fd,
            _ => return Err(self.internal("epoll_create answered no fd")),
        };
        Ok(self.native_obj(
            Ty::Selector,
            Native::Selector(Box::new(SelectorObj {
                epfd,
                closed: false,
                keys: Vec::new(),
            })),
        ))
    }

    /// `selectors.SelectorKey(fileobj, fd, events, data)`.
    pub(crate) fn new_selector_key(&mut self, args: Vec<Value>, kw: Vec<(Sym, Value)>) -> R<Value> {
        let a = self.bind_params(&KEY_PARAMS, args, kw)?;
        let [f, fd, ev, data] = [0, 1, 2, 3].map(|i| a[i].clone().unwrap_or(Value::None));
        Ok(self.selector_key([f, fd, ev, data]))
    }

    fn native_obj(&mut self, ty: Ty, native: Native) -> Value {
        Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(ty),
            attrs: Vec::new(),
            native,
        }))))
    }

    fn selector_key(&mut self, fields: [Value; 4]) -> Value {
        self.native_obj(Ty::SelectorKey, Native::SelectorKey(Box::new(fields)))
    }

    fn selector(&self, v: &Value) -> Option<SelectorObj> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::Selector(s)) => Some((**s).clone()),
            _ => None,
        }
    }

    fn set_selector(&mut self, v: &Value, s: SelectorObj) {
        if let Some(Native::Selector(x)) = self.heap.inst_mut(v).map(|i| &mut i.native) {
            **x = s;
        }
    }

    /// A key's fields: (fileobj, fd, events, data).
    pub(crate) fn key_fields(&self, v: &Value) -> Option<[Value; 4]> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::SelectorKey(k)) => Some((**k).clone()),
            _ => None,
        }
    }

    /// `key.fileobj`, `key.fd`, `key.events`, `key.data`.
    pub(crate) fn key_attr(fields: &[Value; 4], n: &str) -> Option<Value> {
        let i = ["fileobj", "fd", "events", "data"]
            .iter()
            .position(|f| *f == n)?;
        fields.get(i).cloned()
    }

    /// selectors.py's `_fileobj_to_fd`.
    fn fileobj_to_fd(&mut self, os: &mut dyn Os, f: &Value) -> R<i64> {
        let fd = match f {
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            other => {
                let got = match self.fileno_method(os, other)? {
                    Some(m) => match self.call_sync(os, m, Vec::new(), Vec::new()) {
                        Ok(v) => self.int_of(os, Some(v), None),
                        Err(e) => Err(e),
                    },
                    None => Err(self.exc_flow(Ty::AttributeError, "fileno")),
                };
                match got {
                    Ok(Value::Int(i)) => i,
                    Ok(_) => 0,
                    Err(Flow::Exc(e))
                        if self.exc_is(&e, Ty::AttributeError)
                            || self.exc_is(&e, Ty::TypeError)
                            || self.exc_is(&e, Ty::ValueError) =>
                    {
                        let r = self.repr(os, f)?;
                        let e = self.exc_flow(Ty::ValueError, &format!("Invalid file object: {r}"));
                        return self.in_selectors(Err(e), &[TO_FD_OBJECT]);
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        if fd < 0 {
            let e = self.exc_flow(Ty::ValueError, &format!("Invalid file descriptor: {fd}"));
            return self.in_selectors(Err(e), &[TO_FD_NEGATIVE]);
        }
        Ok(fd)
    }

    /// selectors.py's `_fileobj_lookup`: the fd, or the fd of the key
    /// registered for this very object (a socket closed since).
    fn fileobj_lookup(&mut self, os: &mut dyn Os, s: &SelectorObj, f: &Value) -> R<i64> {
        match self.fileobj_to_fd(os, f) {
            Ok(fd) => Ok(fd),
            Err(Flow::Exc(e)) if self.exc_is(&e, Ty::ValueError) => {
                for (fd, key) in &s.keys {
                    if self
                        .key_fields(key)
                        .is_some_and(|k| Self::identical(&k[0], f))
                    {
                        return Ok(*fd);
                    }
                }
                self.in_selectors(Err(Flow::Exc(e)), &[LOOKUP])
            }
            Err(e) => Err(e),
        }
    }

    fn closed_epoll(&mut self) -> Flow {
        self.exc_flow(Ty::ValueError, "I/O operation on closed epoll object")
    }

    fn epoll_ctl(
        &mut self,
        os: &mut dyn Os,
        s: &SelectorObj,
        op: EpollOp,
        fd: i64,
        events: i64,
    ) -> R<()> {
        let call = OsCall::EpollCtl {
            epfd: s.epfd as i32,
            op,
            fd: i32::try_from(fd).unwrap_or(i32::MAX),
            read: events & EVENT_READ != 0,
            write: events & EVENT_WRITE != 0,
        };
        self.os_call(os, call).map(|_| ())
    }

    /// The events argument of `register`: CPython's check
    /// (`(not events) or (events & ~(EVENT_READ | EVENT_WRITE))`).
    fn register_events(&mut self, os: &mut dyn Os, ev: &Value) -> R<i64> {
        let n = match ev {
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            other if self.truthy(os, other)? => {
                let t = self.type_name(other);
                let e = self.exc_flow(
                    Ty::TypeError,
                    &format!("unsupported operand type(s) for &: '{t}' and 'int'"),
                );
                return self.in_selectors(Err(e), &[REGISTER_EVENTS_TYPE]);
            }
            _ => 0,
        };
        if n == 0 || n & !(EVENT_READ | EVENT_WRITE) != 0 {
            let r = self.repr(os, ev)?;
            let e = self.exc_flow(Ty::ValueError, &format!("Invalid events: {r}"));
            return self.in_selectors(Err(e), &[REGISTER_EVENTS]);
        }
        Ok(n)
    }

    /// A selector's method.
    pub(crate) fn selector_method(
        &mut self,
        os: &mut dyn Os,
        sv: &Value,
        name: Sym,
        n: &str,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let Some(mut s) = self.selector(sv) else {
            return Err(self.internal("not a selector"));
        };
        match n {
            "register" => {
                let a = self.bind_params(&REGISTER_PARAMS, args, kw)?;
                let f = a[0].clone().unwrap_or(Value::None);
                let ev = a[1].clone().unwrap_or(Value::None);
                let data = a[2].clone().unwrap_or(Value::None);
                let r = self.register_events(os, &ev);
                let events = self.in_selectors(r, &[REGISTER])?;
                let r = self.fileobj_lookup(os, &s, &f);
                let fd = self.in_selectors(r, &[REGISTER_LOOKUP, REGISTER])?;
                if s.keys.iter().any(|(k, _)| *k == fd) {
                    let r = self.repr(os, &f)?;
                    let e = self.exc_flow(
                        Ty::KeyError,
                        &format!("{r} (FD {fd}) is already registered"),
                    );
                    return self.in_selectors(Err(e), &[REGISTER_DUP, REGISTER]);
                }
                if s.closed {
                    let e = self.closed_epoll();
                    return self.in_selectors(Err(e), &[REGISTER_EPOLL]);
                }
                self.epoll_ctl(os, &s, EpollOp::Add, fd, events)
                    .or_else(|e| self.in_selectors(Err(e), &[REGISTER_EPOLL]))?;
                let key = self.selector_key([f, Value::Int(fd), ev, data]);
                s.keys.push((fd, key.clone()));
                self.set_selector(sv, s);
                Ok(key)
            }
            "unregister" => {
                let a = self.bind_params(&UNREGISTER_PARAMS, args, kw)?;
                let f = a[0].clone().unwrap_or(Value::None);
                let r = self.fileobj_lookup(os, &s, &f);
                let fd = self.in_selectors(r, &[UNREGISTER_LOOKUP, UNREGISTER])?;
                let Some(i) = s.keys.iter().position(|(k, _)| *k == fd) else {
                    let r = self.repr(os, &f)?;
                    let e = self.exc_flow(Ty::KeyError, &format!("{r} is not registered"));
                    return self.in_selectors(Err(e), &[UNREGISTER_KEY, UNREGISTER]);
                };
                let (_, key) = s.keys.remove(i);
                self.set_selector(sv, s.clone());
                // The fd may have been closed since: CPython ignores the OSError.
                match self.epoll_ctl(os, &s, EpollOp::Del, fd, 0) {
                    Err(Flow::Exc(e)) if self.exc_is(&e, Ty::OSError) => {}
                    r => r?,
                }
                Ok(key)
            }
            "modify" => {
                let a = self.bind_params(&MODIFY_PARAMS, args, kw)?;
                let f = a[0].clone().unwrap_or(Value::None);
                let ev = a[1].clone().unwrap_or(Value::None);
                let data = a[2].clone().unwrap_or(Value::None);
                let r = self.fileobj_lookup(os, &s, &f);
                let fd = self.in_selectors(r, &[MODIFY_LOOKUP])?;
                let Some(i) = s.keys.iter().position(|(k, _)| *k == fd) else {
                    let r = self.repr(os, &f)?;
                    let e = self.exc_flow(Ty::KeyError, &format!("{r} is not registered"));
                    return self.in_selectors(Err(e), &[MODIFY_KEY]);
                };
                let key = s.keys[i].1.clone();
                let Some(old) = self.key_fields(&key) else {
                    return Err(self.internal("not a selector key"));
                };
                let mut changed = false;
                if !self.eq(os, &ev, &old[2])? {
                    let events = match &ev {
                        Value::Int(e) => *e,
                        Value::Bool(b) => *b as i64,
                        _ => 0,
                    };
                    let r = if s.closed {
                        Err(self.closed_epoll())
                    } else {
                        self.epoll_ctl(os, &s, EpollOp::Mod, fd, events)
                    };
                    if let Err(e) = r {
                        // CPython unregisters the file object and re-raises.
                        s.keys.remove(i);
                        self.set_selector(sv, s);
                        return self.in_selectors(Err(e), &[MODIFY_EPOLL]);
                    }
                    changed = true;
                }
                if !self.eq(os, &data, &old[3])? {
                    changed = true;
                }
                if !changed {
                    return Ok(key);
                }
                let new = self.selector_key([old[0].clone(), old[1].clone(), ev, data]);
                s.keys[i].1 = new.clone();
                self.set_selector(sv, s);
                Ok(new)
            }
            "select" => {
                let a = self.bind_params(&SELECT_PARAMS, args, kw)?;
                let timeout = match a[0].clone().unwrap_or(Value::None) {
                    Value::None => None,
                    t => {
                        let secs = match t {
                            Value::Int(i) => i as f64,
                            Value::Bool(b) => b as i64 as f64,
                            Value::Float(f) => f.0,
                            other => {
                                let tn = self.type_name(&other);
                                let e = self.exc_flow(
                                    Ty::TypeError,
                                    &format!(
                                        "'<=' not supported between instances of '{tn}' and 'int'"
                                    ),
                                );
                                return self.in_selectors(Err(e), &[SELECT_TIMEOUT]);
                            }
                        };
                        // epoll_wait counts milliseconds, rounded up.
                        Some(if secs > 0.0 {
                            ((secs * 1e3).ceil().min(9.2e15) as u64) * 1000
                        } else {
                            0
                        })
                    }
                };
                if s.closed {
                    let e = self.closed_epoll();
                    return self.in_selectors(Err(e), &[SELECT_CLOSED]);
                }
                // epoll forgets an fd when its file is closed.
                let mut watched = Vec::with_capacity(s.keys.len());
                for (fd, key) in &s.keys {
                    let Some(k) = self.key_fields(key) else {
                        continue;
                    };
                    let closed = matches!(
                        self.heap.inst(&k[0]).map(|i| &i.native),
                        Some(Native::Socket(x)) if x.closed
                    );
                    let events = match k[2] {
                        Value::Int(e) => e,
                        Value::Bool(b) => b as i64,
                        _ => 0,
                    };
                    if !closed {
                        watched.push((*fd as i32, events, key.clone()));
                    }
                }
                let call = OsCall::Select {
                    read: watched
                        .iter()
                        .filter(|w| w.1 & EVENT_READ != 0)
                        .map(|w| w.0)
                        .collect(),
                    write: watched
                        .iter()
                        .filter(|w| w.1 & EVENT_WRITE != 0)
                        .map(|w| w.0)
                        .collect(),
                    timeout,
                    epoll: true,
                };
                let (read, write) = match self.os_call(os, call)? {
                    OsValue::Ready { read, write } => (read, write),
                    _ => (Vec::new(), Vec::new()),
                };
                let mut ready = Vec::new();
                for (fd, events, key) in watched {
                    let got = if read.contains(&fd) { EVENT_READ } else { 0 }
                        | if write.contains(&fd) { EVENT_WRITE } else { 0 };
                    if got != 0 {
                        let pair = self.new_tuple(vec![key, Value::Int(got & events)]);
                        ready.push(pair);
                    }
                }
                Ok(Value::Ref(self.heap.alloc(Obj::List(ready))))
            }
            "get_key" => {
                let a = self.bind_params(&GET_KEY_PARAMS, args, kw)?;
                let f = a[0].clone().unwrap_or(Value::None);
                if s.closed {
                    let e = self.exc_flow(Ty::RuntimeError, "Selector is closed");
                    return self.in_selectors(Err(e), &[GET_KEY_CLOSED]);
                }
                let r = self.fileobj_lookup(os, &s, &f);
                let fd = self.in_selectors(r, &[MAPPING_LOOKUP, GET_KEY_MAP])?;
                match s.keys.iter().find(|(k, _)| *k == fd) {
                    Some((_, key)) => Ok(key.clone()),
                    None => {
                        let r = self.repr(os, &f)?;
                        let e = self.exc_flow(Ty::KeyError, &format!("{r} is not registered"));
                        self.in_selectors(Err(e), &[GET_KEY_KEY])
                    }
                }
            }
            "get_map" => {
                self.bind_params(&NO_PARAMS_OF_GET_MAP, args, kw)?;
                if s.closed {
                    return Ok(Value::None);
                }
                let d = s
                    .keys
                    .iter()
                    .map(|(fd, key)| (Value::Int(*fd), key.clone()))
                    .collect();
                Ok(Value::Ref(self.heap.alloc(Obj::Dict(d))))
            }
            "fileno" => {
                self.bind_params(&NO_PARAMS_OF_FILENO, args, kw)?;
                if s.closed {
                    return Err(self.closed_epoll());
                }
                Ok(Value::Int(s.epfd))
            }
            "close" | "__exit__" => {
                if n == "close" {
                    self.bind_params(&NO_PARAMS_OF_CLOSE, args, kw)?;
                }
                if !s.closed {
                    s.closed = true;
                    s.keys.clear();
                    self.set_selector(sv, s.clone());
                    self.os_call(os, OsCall::Close { fd: s.epfd as i32 })?;
                }
                Ok(Value::None)
            }
            "__enter__" => Ok(sv.clone()),
            _ => Err(self.attr_error(sv, name)),
        }
    }

    /// `len(key)`, `key[i]`, `a, b, c, d = key`: a key is a named tuple.
    pub(crate) fn key_tuple(&mut self, v: &Value) -> Option<Value> {
        let fields = self.key_fields(v)?;
        Some(self.new_tuple(fields.to_vec()))
    }
}

const NO_PARAMS_OF_GET_MAP: Params = Params {
    qualname: "_BaseSelectorImpl.get_map",
    names: &[],
    required: 0,
};

const NO_PARAMS_OF_FILENO: Params = Params {
    qualname: "EpollSelector.fileno",
    names: &[],
    required: 0,
};

const NO_PARAMS_OF_CLOSE: Params = Params {
    qualname: "EpollSelector.close",
    names: &[],
    required: 0,
};
