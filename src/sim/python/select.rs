//! `select` and `selectors`: one thread waiting on many sockets.
//!
//! `select.select(rlist, wlist, xlist[, timeout])` is CPython's
//! `Modules/selectmodule.c`: the lists hold ints or objects with a
//! `fileno()`; it returns three lists of the same objects, those ready,
//! in the order given. `selectors.DefaultSelector()` is CPython's
//! `EpollSelector` (`Lib/selectors.py`, Python code there, native here):
//! `register(fileobj, events, data=None)` returns a `SelectorKey`
//! (`fileobj`, `fd`, `events`, `data`), `select(timeout=None)` a list of
//! `(key, events)`; the errors are CPython's, and an exception leaving the
//! module shows selectors.py's frames, as CPython's traceback does.
//!
//! Both wait with one [`OsCall::Select`]: the host blocks the thread on
//! every fd at once and answers which are ready. A selector also holds an
//! fd of its own (`OsCall::EpollCreate`, as `epoll_create1` does) and tells
//! the host of each `register`/`modify`/`unregister` (`OsCall::EpollCtl`,
//! which checks the fd); the interest list itself is the selector's, handed
//! to each `select`. Where it differs from CPython: a selector's ready list
//! comes in registration order (epoll's comes in the order the fds became
//! ready); `get_map()` is a snapshot dict `{fd: key}` (looking a key up in
//! it by file object is not supported); `xlist` is never ready (no
//! out-of-band data here), and an fd only in `xlist` is not checked.

use super::exc::SELECTORS_PY;
use super::os::{OsCall, OsValue};
use super::value::*;
use super::vm::{Flow, R};
use super::{Interp, Os};
use crate::sim::event::EpollOp;

/// A selector's method names (for `dir()` and suggestions).
pub(crate) const SELECTOR_METHODS: &[&str] = &[
    "register",
    "unregister",
    "modify",
    "select",
    "get_key",
    "get_map",
    "close",
    "fileno",
    "__enter__",
    "__exit__",
];

pub(crate) const EVENT_READ: i64 = 1;
pub(crate) const EVENT_WRITE: i64 = 2;

/// `select()`'s limit: fds from `FD_SETSIZE` on are refused.
const FD_SETSIZE: i64 = 1024;

/// A frame of selectors.py as CPython's traceback shows it.
const fn lib(line: u32, name: &'static str, text: &'static str, carets: &'static str) -> TbEntry {
    TbEntry::Lib {
        file: SELECTORS_PY,
        line,
        name,
        text,
        carets,
    }
}

// The lines of selectors.py (3.11) an exception passes through.
const REGISTER: TbEntry = lib(
    352,
    "register",
    "key = super().register(fileobj, events, data)",
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const REGISTER_EVENTS: TbEntry = lib(
    236,
    "register",
    r#"raise ValueError("Invalid events: {!r}".format(events))"#,
    "",
);
const REGISTER_EVENTS_TYPE: TbEntry = lib(
    235,
    "register",
    "if (not events) or (events & ~(EVENT_READ | EVENT_WRITE)):",
    "                        ~~~~~~~^~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
);
const REGISTER_LOOKUP: TbEntry = lib(
    238,
    "register",
    "key = SelectorKey(fileobj, self._fileobj_lookup(fileobj), events, data)",
    "                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const REGISTER_DUP: TbEntry = lib(
    241,
    "register",
    r#"raise KeyError("{!r} (FD {}) is already registered""#,
    "",
);
const REGISTER_EPOLL: TbEntry = lib(
    359,
    "register",
    "self._selector.register(key.fd, poller_events)",
    "",
);
const LOOKUP: TbEntry = lib(
    225,
    "_fileobj_lookup",
    "return _fileobj_to_fd(fileobj)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^",
);
const TO_FD_OBJECT: TbEntry = lib(
    39,
    "_fileobj_to_fd",
    r#"raise ValueError("Invalid file object: ""#,
    "",
);
const TO_FD_NEGATIVE: TbEntry = lib(
    42,
    "_fileobj_to_fd",
    r#"raise ValueError("Invalid file descriptor: {}".format(fd))"#,
    "",
);
const UNREGISTER: TbEntry = lib(
    366,
    "unregister",
    "key = super().unregister(fileobj)",
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const UNREGISTER_LOOKUP: TbEntry = lib(
    249,
    "unregister",
    "key = self._fd_to_key.pop(self._fileobj_lookup(fileobj))",
    "                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const UNREGISTER_KEY: TbEntry = lib(
    251,
    "unregister",
    r#"raise KeyError("{!r} is not registered".format(fileobj)) from None"#,
    "",
);
const MODIFY_LOOKUP: TbEntry = lib(
    377,
    "modify",
    "key = self._fd_to_key[self._fileobj_lookup(fileobj)]",
    "                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const MODIFY_KEY: TbEntry = lib(
    379,
    "modify",
    r#"raise KeyError(f"{fileobj!r} is not registered") from None"#,
    "",
);
const MODIFY_EPOLL: TbEntry = lib(
    387,
    "modify",
    "self._selector.modify(key.fd, selector_events)",
    "",
);
const GET_KEY_CLOSED: TbEntry = lib(
    188,
    "get_key",
    "raise RuntimeError('Selector is closed')",
    "",
);
const GET_KEY_MAP: TbEntry = lib(
    190,
    "get_key",
    "return mapping[fileobj]",
    "           ~~~~~~~^^^^^^^^^",
);
const GET_KEY_KEY: TbEntry = lib(
    192,
    "get_key",
    r#"raise KeyError("{!r} is not registered".format(fileobj)) from None"#,
    "",
);
const MAPPING_LOOKUP: TbEntry = lib(
    71,
    "__getitem__",
    "fd = self._selector._fileobj_lookup(fileobj)",
    "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const SELECT_TIMEOUT: TbEntry = lib(454, "select", "elif timeout <= 0:", "         ^^^^^^^^^^^^");
const SELECT_CLOSED: TbEntry = lib(
    468,
    "select",
    "fd_event_list = self._selector.poll(timeout, max_ev)",
    "                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);

/// A Python method's parameters (after `self`): names, how many are
/// required, and its qualified name for the messages.
struct Params {
    qualname: &'static str,
    names: &'static [&'static str],
    required: usize,
}

const REGISTER_PARAMS: Params = Params {
    qualname: "_PollLikeSelector.register",
    names: &["fileobj", "events", "data"],
    required: 2,
};
const UNREGISTER_PARAMS: Params = Params {
    qualname: "_PollLikeSelector.unregister",
    names: &["fileobj"],
    required: 1,
};
const MODIFY_PARAMS: Params = Params {
    qualname: "_PollLikeSelector.modify",
    names: &["fileobj", "events", "data"],
    required: 2,
};
const SELECT_PARAMS: Params = Params {
    qualname: "EpollSelector.select",
    names: &["timeout"],
    required: 0,
};
const GET_KEY_PARAMS: Params = Params {
    qualname: "BaseSelector.get_key",
    names: &["fileobj"],
    required: 1,
};
const KEY_PARAMS: Params = Params {
    qualname: "SelectorKey.__new__",
    names: &["fileobj", "fd", "events", "data"],
    required: 4,
};

impl Interp {
    /// Binds a method's arguments to its parameters, with CPython's
    /// messages for a missing, extra or unknown one.
    fn bind_params(
        &mut self,
        p: &Params,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Vec<Option<Value>>> {
        let q = p.qualname;
        let max = p.names.len();
        if args.len() > max {
            let msg = if p.required == max {
                format!(
                    "{q}() takes {} positional argument{} but {} were given",
                    max + 1,
                    if max == 0 { "" } else { "s" },
                    args.len() + 1
                )
            } else {
                format!(
                    "{q}() takes from {} to {} positional arguments but {} were given",
                    p.required + 1,
                    max + 1,
                    args.len() + 1
                )
            };
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        let mut out: Vec<Option<Value>> = vec![None; max];
        for (slot, a) in out.iter_mut().zip(args) {
            *slot = Some(a);
        }
        for (k, v) in kw {
            let name = self.heap.name(k).to_string();
            let Some(i) = p.names.iter().position(|n| *n == name) else {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{q}() got an unexpected keyword argument '{name}'"),
                ));
            };
            if out[i].is_some() {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{q}() got multiple values for argument '{name}'"),
                ));
            }
            out[i] = Some(v);
        }
        let missing: Vec<String> = p.names[..p.required]
            .iter()
            .zip(&out)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| format!("'{n}'"))
            .collect();
        if !missing.is_empty() {
            let list = match missing.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) if rest.len() == 1 => format!("{} and {last}", rest[0]),
                Some((last, rest)) => format!("{}, and {last}", rest.join(", ")),
                None => String::new(),
            };
            let n = missing.len();
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!(
                    "{q}() missing {n} required positional argument{}: {list}",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        Ok(out)
    }

    /// Adds selectors.py's frames (innermost first) to an exception
    /// leaving the module.
    fn in_selectors<T>(&mut self, r: R<T>, frames: &[TbEntry]) -> R<T> {
        if let Err(Flow::Exc(e)) = &r {
            if let Some(x) = self.heap.exc_mut(e) {
                x.tb.extend(frames.iter().cloned());
            }
        }
        r
    }

    // ------------------------------------------------------------ select.select

    /// `select.select(rlist, wlist, xlist[, timeout])`.
    pub(crate) fn select_select(
        &mut self,
        os: &mut dyn Os,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        if !kw.is_empty() {
            return Err(self.exc_flow(Ty::TypeError, "select.select() takes no keyword arguments"));
        }
        self.nargs("select", &args, 3, 4)?;
        let timeout = match args.get(3) {
            None | Some(Value::None) => None,
            Some(t) => Some(self.select_timeout(t)?),
        };
        let mut lists = Vec::with_capacity(3);
        for seq in args.iter().take(3) {
            lists.push(self.fd_pairs(os, seq)?);
        }
        let fds = |l: &[(Value, i64)]| l.iter().map(|(_, fd)| *fd as i32).collect::<Vec<i32>>();
        let call = OsCall::Select {
            read: fds(&lists[0]),
            write: fds(&lists[1]),
            timeout,
            epoll: false,
        };
        let (read, write) = match self.os_call(os, call)? {
            OsValue::Ready { read, write } => (read, write),
            _ => (Vec::new(), Vec::new()),
        };
        let pick = |l: &[(Value, i64)], ready: &[i32]| -> Vec<Value> {
            l.iter()
                .filter(|(_, fd)| ready.contains(&(*fd as i32)))
                .map(|(v, _)| v.clone())
                .collect()
        };
        let out = [pick(&lists[0], &read), pick(&lists[1], &write), Vec::new()];
        let items = out
            .into_iter()
            .map(|l| Value::Ref(self.heap.alloc(Obj::List(l))))
            .collect();
        Ok(self.new_tuple(items))
    }

    /// `select()`'s timeout in microseconds, rounded up as CPython's
    /// `_PyTime_ROUND_TIMEOUT` does.
    fn select_timeout(&mut self, t: &Value) -> R<u64> {
        let secs = match t {
            Value::Int(i) => *i as f64,
            Value::Bool(b) => *b as i64 as f64,
            Value::Float(f) => f.0,
            _ => return Err(self.exc_flow(Ty::TypeError, "timeout must be a float or None")),
        };
        if secs.is_nan() {
            return Err(self.exc_flow(Ty::ValueError, "Invalid value NaN (not a number)"));
        }
        if secs < 0.0 {
            return Err(self.exc_flow(Ty::ValueError, "timeout must be non-negative"));
        }
        let micros = (secs * 1e6).ceil();
        if micros > 9.2e18 {
            return Err(self.exc_flow(
                Ty::OverflowError,
                "timestamp out of range for platform time_t",
            ));
        }
        Ok(micros as u64)
    }

    /// The objects of one of `select()`'s lists with their fds
    /// (`PyObject_AsFileDescriptor` on each).
    fn fd_pairs(&mut self, os: &mut dyn Os, seq: &Value) -> R<Vec<(Value, i64)>> {
        let items = match self.iterate(os, seq) {
            Ok(items) => items,
            Err(Flow::Exc(e)) if self.exc_is(&e, Ty::TypeError) => {
                return Err(self.exc_flow(Ty::TypeError, "arguments 1-3 must be sequences"))
            }
            Err(e) => return Err(e),
        };
        let mut out = Vec::with_capacity(items.len());
        for v in items {
            let fd = match &v {
                Value::Int(i) => *i,
                Value::Bool(b) => *b as i64,
                other => {
                    let f = match self.fileno_method(os, other)? {
                        Some(f) => f,
                        None => {
                            return Err(self.exc_flow(
                                Ty::TypeError,
                                "argument must be an int, or have a fileno() method.",
                            ))
                        }
                    };
                    match self.call_sync(os, f, Vec::new(), Vec::new())? {
                        Value::Int(i) => i,
                        Value::Bool(b) => b as i64,
                        _ => {
                            return Err(
                                self.exc_flow(Ty::TypeError, "fileno() returned a non-integer")
                            )
                        }
                    }
                }
            };
            if fd < 0 {
                return Err(self.exc_flow(
                    Ty::ValueError,
                    &format!("file descriptor cannot be a negative integer ({fd})"),
                ));
            }
            if fd >= FD_SETSIZE {
                return Err(
                    self.exc_flow(Ty::ValueError, "filedescriptor out of range in select()")
                );
            }
            out.push((v, fd));
        }
        Ok(out)
    }

    /// `obj.fileno`, or `None` when it has no such attribute.
    fn fileno_method(&mut self, os: &mut dyn Os, obj: &Value) -> R<Option<Value>> {
        let name = self.heap.intern("fileno");
        match self.getattr(os, obj, name) {
            Ok(f) => Ok(Some(f)),
            Err(Flow::Exc(e)) if self.exc_is(&e, Ty::AttributeError) => Ok(None),
            Err(e) => Err(e),
        }
    }

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
