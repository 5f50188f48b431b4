//! `threading` and `multiprocessing`: thread and process objects, locks,
//! events and the current thread.

use crate::sim::python::builtins::{self as bi, take_kw};
use crate::sim::python::os::{OsCall, OsErr, OsValue, Stream};
use crate::sim::python::value::*;
use crate::sim::python::vm::{Flow, PyThread, R};
use crate::sim::python::{Blocker, Interp, Os};
use std::rc::Rc;

impl Interp {
    // ------------------------------------------------------------ threading

    pub(super) fn thread_init(
        &mut self,
        inst: &Value,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<()> {
        let mut pos = args.into_iter();
        let _group = pos.next();
        let target = take_kw(&self.heap, &mut kw, "target")
            .or_else(|| pos.next())
            .unwrap_or(Value::None);
        let name = take_kw(&self.heap, &mut kw, "name")
            .or_else(|| pos.next())
            .unwrap_or(Value::None);
        let targs = take_kw(&self.heap, &mut kw, "args").or_else(|| pos.next());
        let tkw = take_kw(&self.heap, &mut kw, "kwargs")
            .or_else(|| pos.next())
            .unwrap_or(Value::None);
        let daemon = take_kw(&self.heap, &mut kw, "daemon");
        let _group = take_kw(&self.heap, &mut kw, "group");
        if pos.next().is_some() {
            return Err(self.exc_flow(
                Ty::TypeError,
                "Thread.__init__() takes from 1 to 6 positional arguments",
            ));
        }
        self.no_kw("Thread.__init__", &kw)?;
        let targs = match targs {
            Some(a) => a,
            None => self.new_tuple(Vec::new()),
        };
        let is_process = matches!(self.heap.inst(inst).map(|i| &i.native), Some(Native::Thread(t)) if t.process.is_some());
        if is_process {
            // every Process made gets the next number (its `_identity`)
            self.process_counter += 1;
        }
        let name: Rc<str> = match name {
            Value::None if is_process => {
                // multiprocessing: `Process-N` (the class's name, for a subclass)
                let cls = self.type_of(inst);
                let cls = self.class_name(&cls).to_string();
                format!("{cls}-{}", self.process_counter).into()
            }
            Value::None => {
                self.thread_counter += 1;
                let n = self.thread_counter;
                let tname = match &target {
                    Value::None => None,
                    t => {
                        let s = self.heap.intern("__name__");
                        let mut dummy = NoOs;
                        self.getattr(&mut dummy, t, s).ok().and_then(|v| match v {
                            Value::Str(s) => Some(s),
                            _ => None,
                        })
                    }
                };
                match tname {
                    Some(t) => format!("Thread-{n} ({t})").into(),
                    None => format!("Thread-{n}").into(),
                }
            }
            v => {
                let mut dummy = NoOs;
                self.str_of(&mut dummy, &v)?
            }
        };
        let daemon = match daemon {
            None | Some(Value::None) => self.current_daemon(),
            Some(v) => {
                let mut dummy = NoOs;
                self.truthy(&mut dummy, &v)?
            }
        };
        if let Some(Native::Thread(t)) = self.heap.inst_mut(inst).map(|i| &mut i.native) {
            t.name = name;
            t.target = target;
            t.args = targs;
            t.kwargs = tkw;
            t.daemon = daemon;
        }
        Ok(())
    }

    fn current_daemon(&self) -> bool {
        let obj = self.thread().and_then(|t| t.obj.clone());
        match obj
            .as_ref()
            .and_then(|o| self.heap.inst(o))
            .map(|i| &i.native)
        {
            Some(Native::Thread(t)) => t.daemon && !t.main,
            _ => false,
        }
    }

    /// Prints a DeprecationWarning the way the `warnings` module shows it
    /// (once per source location, for code in `__main__`).
    fn deprecation(&mut self, os: &mut dyn Os, msg: &str) {
        let line = self.cur_line();
        let key = (line, Rc::<str>::from(msg));
        if self.warned.contains(&key) {
            return;
        }
        self.warned.push(key);
        let src = self
            .lines
            .get(line.saturating_sub(1) as usize)
            .map(|l| l.trim().to_string())
            .unwrap_or_default();
        let mut text = format!("{}:{line}: DeprecationWarning: {msg}\n", self.filename);
        if !src.is_empty() {
            text.push_str(&format!("  {src}\n"));
        }
        self.write(os, Stream::Stderr, &text);
    }

    fn thread_obj(&self, v: &Value) -> Option<ThreadObj> {
        match self.heap.inst(v).map(|i| &i.native) {
            Some(Native::Thread(t)) => Some((**t).clone()),
            _ => None,
        }
    }

    pub(crate) fn thread_method(
        &mut self,
        os: &mut dyn Os,
        t: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let Some(th) = self.thread_obj(t) else {
            return Err(self.internal("not a thread"));
        };
        if th.process.is_some() && matches!(n, "start" | "join" | "is_alive") {
            return self.process_method(os, t, th, n, args, kw);
        }
        match n {
            "__init__" => {
                self.thread_init(t, args, kw)?;
                Ok(Value::None)
            }
            "start" => {
                if th.main || th.ix.is_some_and(|ix| self.thread_started.contains(&ix)) {
                    return Err(self.exc_flow(Ty::RuntimeError, "threads can only be started once"));
                }
                if th.name.is_empty() {
                    return Err(self.exc_flow(Ty::RuntimeError, "thread.__init__() not called"));
                }
                let ix = match th.ix {
                    Some(ix) => ix,
                    None => {
                        // the thread's first call: its class's run(), or the target
                        let run_sym = bi::S_RUN;
                        let cls = self.type_of(t);
                        let user_run = self.lookup_in_mro(&cls, run_sym);
                        let (callee, cargs, ckw, lib) = match user_run {
                            Some(r) => {
                                let a = self.new_tuple(vec![t.clone()]);
                                (r, a, Value::None, 1)
                            }
                            None => (th.target.clone(), th.args.clone(), th.kwargs.clone(), 2),
                        };
                        let ix = self.threads.len() as u32;
                        let ident = 140_000_000_000_000 + ix as i64 * 6_291_456;
                        let boot = if callee == Value::None {
                            None
                        } else {
                            Some((callee, cargs, ckw))
                        };
                        let empty = boot.is_none();
                        self.threads.push(PyThread {
                            frames: Vec::new(),
                            exc_stack: Vec::new(),
                            obj: Some(t.clone()),
                            boot,
                            done: empty,
                            lib_frames: lib,
                            line: 0,
                            name: th.name.clone(),
                            interrupt: false,
                            in_accept: false,
                            pending_connect: None,
                        });
                        if let Some(Native::Thread(x)) =
                            self.heap.inst_mut(t).map(|i| &mut i.native)
                        {
                            x.ix = Some(ix);
                            x.ident = ident;
                            if empty {
                                x.done = true;
                            }
                        }
                        ix
                    }
                };
                self.os_call(
                    os,
                    OsCall::StartThread {
                        thread: ix,
                        name: th.name.to_string(),
                        daemon: th.daemon,
                    },
                )?;
                self.thread_started.push(ix);
                Ok(Value::None)
            }
            "join" => {
                let timeout =
                    take_kw(&self.heap, &mut kw, "timeout").or_else(|| args.first().cloned());
                let Some(ix) = th.ix.filter(|_| !th.main) else {
                    if th.main {
                        return Err(self.exc_flow(Ty::RuntimeError, "cannot join current thread"));
                    }
                    return Err(
                        self.exc_flow(Ty::RuntimeError, "cannot join thread before it is started")
                    );
                };
                if ix as usize == self.cur {
                    return Err(self.exc_flow(Ty::RuntimeError, "cannot join current thread"));
                }
                if self.threads.get(ix as usize).is_none_or(|x| x.done) {
                    return Ok(Value::None);
                }
                let timeout = match timeout {
                    None | Some(Value::None) => None,
                    Some(Value::Int(i)) => Some((i.max(0) as u64).saturating_mul(1_000_000)),
                    Some(Value::Float(f)) => Some((f.0.max(0.0) * 1e6).round() as u64),
                    Some(other) => {
                        let tn = self.type_name(&other);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("'{tn}' object cannot be interpreted as an integer or float"),
                        ));
                    }
                };
                self.os_call(
                    os,
                    OsCall::Join {
                        thread: ix,
                        timeout,
                    },
                )?;
                Ok(Value::None)
            }
            "is_alive" => {
                let alive = th.main && !self.threads.first().is_some_and(|t| t.done)
                    || th.ix.is_some_and(|ix| {
                        self.thread_started.contains(&ix)
                            && self.threads.get(ix as usize).is_some_and(|x| !x.done)
                    });
                Ok(Value::Bool(alive))
            }
            "run" => {
                if th.target == Value::None {
                    return Ok(Value::None);
                }
                let targs = match &th.args {
                    Value::None => Vec::new(),
                    a => self.iterate(os, a)?,
                };
                self.call_sync(os, th.target.clone(), targs, Vec::new())?;
                Ok(Value::None)
            }
            "getName" => {
                self.deprecation(
                    os,
                    "getName() is deprecated, get the name attribute instead",
                );
                Ok(Value::Str(th.name))
            }
            "setName" => {
                self.deprecation(
                    os,
                    "setName() is deprecated, set the name attribute instead",
                );
                let v = args.first().cloned().unwrap_or(Value::None);
                self.set_native_attr(os, t, bi::S_SELFNAME, &v)?;
                Ok(Value::None)
            }
            "isDaemon" => {
                self.deprecation(
                    os,
                    "isDaemon() is deprecated, get the daemon attribute instead",
                );
                Ok(Value::Bool(th.daemon))
            }
            "setDaemon" => {
                self.deprecation(
                    os,
                    "setDaemon() is deprecated, set the daemon attribute instead",
                );
                let v = args.first().cloned().unwrap_or(Value::None);
                self.set_native_attr(os, t, bi::S_DAEMON, &v)?;
                Ok(Value::None)
            }
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(t, sy))
            }
        }
    }

    /// `multiprocessing.Process`'s `start`, `join` and `is_alive`. Python
    /// 3.11 on Linux starts a process by forking (the default start
    /// method, `fork`): the child is a copy of this interpreter whose one
    /// thread calls the target (or the subclass's `run`).
    fn process_method(
        &mut self,
        os: &mut dyn Os,
        t: &Value,
        th: ThreadObj,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let p = th.process.as_deref().cloned().unwrap_or_default();
        let set = |me: &mut Self, f: &dyn Fn(&mut ThreadObj)| {
            if let Some(Native::Thread(x)) = me.heap.inst_mut(t).map(|i| &mut i.native) {
                f(x);
            }
        };
        match n {
            "start" => {
                if p.pid.is_some() {
                    return Err(self.exc_flow(Ty::AssertionError, "cannot start a process twice"));
                }
                let cls = self.type_of(t);
                let user_run = self.lookup_in_mro(&cls, bi::S_RUN);
                let (callee, cargs, ckw, lib) = match user_run {
                    Some(r) => {
                        let a = self.new_tuple(vec![t.clone()]);
                        (r, a, Value::None, 11)
                    }
                    None => (th.target.clone(), th.args.clone(), th.kwargs.clone(), 12),
                };
                let ix = self.threads.len();
                let boot = (callee != Value::None).then_some((callee, cargs, ckw));
                self.threads.push(PyThread {
                    frames: Vec::new(),
                    exc_stack: Vec::new(),
                    obj: Some(t.clone()),
                    done: boot.is_none(),
                    boot,
                    lib_frames: lib,
                    line: 0,
                    name: "MainThread".into(),
                    interrupt: false,
                    in_accept: false,
                    pending_connect: None,
                });
                let mut child = self.fork_copy(ix);
                child.process_name = Some(th.name.clone());
                // The parent never runs that thread.
                if let Some(x) = self.threads.get_mut(ix) {
                    x.done = true;
                    x.boot = None;
                }
                let call = OsCall::Fork {
                    thread: ix as u32,
                    name: Some(th.name.to_string()),
                    daemon: Some(th.daemon),
                };
                let pid = match self.os_call(os, call)? {
                    OsValue::Int(pid) => pid,
                    _ => 0,
                };
                self.forked.push(child);
                // start() forgets the target and its arguments in the parent
                // (bpo-30775): they no longer keep a connection alive here.
                set(self, &|x| {
                    x.target = Value::None;
                    x.args = Value::None;
                    x.kwargs = Value::None;
                    if let Some(pr) = x.process.as_deref_mut() {
                        pr.pid = Some(pid);
                    }
                });
                Ok(Value::None)
            }
            "join" => {
                let _timeout = take_kw(&self.heap, &mut kw, "timeout").or(args.first().cloned());
                let Some(pid) = p.pid else {
                    return Err(
                        self.exc_flow(Ty::AssertionError, "can only join a started process")
                    );
                };
                if p.exitcode.is_some() {
                    return Ok(Value::None);
                }
                let call = OsCall::Waitpid {
                    pid,
                    block: true,
                    name: Some(th.name.to_string()),
                };
                if let OsValue::Int(code) = self.os_call(os, call)? {
                    set(self, &|x| {
                        if let Some(pr) = x.process.as_deref_mut() {
                            pr.exitcode = Some(code);
                        }
                    });
                }
                Ok(Value::None)
            }
            _ => {
                // is_alive
                let Some(pid) = p.pid.filter(|_| p.exitcode.is_none()) else {
                    return Ok(Value::Bool(false));
                };
                let call = OsCall::Waitpid {
                    pid,
                    block: false,
                    name: None,
                };
                match self.os_call(os, call)? {
                    OsValue::Int(code) => {
                        set(self, &|x| {
                            if let Some(pr) = x.process.as_deref_mut() {
                                pr.exitcode = Some(code);
                            }
                        });
                        Ok(Value::Bool(false))
                    }
                    _ => Ok(Value::Bool(true)),
                }
            }
        }
    }

    /// The threading.Thread object of the running thread.
    pub(super) fn current_thread_obj(&mut self) -> Value {
        if let Some(o) = self.thread().and_then(|t| t.obj.clone()) {
            return o;
        }
        let o = Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: Value::Type(Ty::Thread),
            attrs: Vec::new(),
            native: Native::Thread(Box::new(ThreadObj {
                name: "MainThread".into(),
                daemon: false,
                target: Value::None,
                args: Value::None,
                kwargs: Value::None,
                ix: Some(self.cur as u32),
                done: false,
                main: true,
                ident: 140_000_000_000_000 - 4096,
                process: None,
            })),
        }))));
        if let Some(t) = self.thread_mut() {
            t.obj = Some(o.clone());
        }
        o
    }

    pub(crate) fn lock_method(
        &mut self,
        os: &mut dyn Os,
        l: &Value,
        n: &str,
        args: Vec<Value>,
        mut kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let (locked, owner, count, reentrant) = match self.heap.inst(l).map(|i| &i.native) {
            Some(Native::Lock {
                locked,
                owner,
                count,
                reentrant,
            }) => (*locked, *owner, *count, *reentrant),
            _ => return Err(self.internal("not a lock")),
        };
        let me = self.cur as u32;
        let set = |s: &mut Self, lk: bool, ow: Option<u32>, c: u32| {
            if let Some(Native::Lock {
                locked,
                owner,
                count,
                ..
            }) = s.heap.inst_mut(l).map(|i| &mut i.native)
            {
                *locked = lk;
                *owner = ow;
                *count = c;
            }
        };
        match n {
            "acquire" | "acquire_lock" | "__enter__" => {
                let blocking =
                    take_kw(&self.heap, &mut kw, "blocking").or_else(|| args.first().cloned());
                let timeout =
                    take_kw(&self.heap, &mut kw, "timeout").or_else(|| args.get(1).cloned());
                let blocking = match blocking {
                    Some(b) => self.truthy(os, &b)?,
                    None => true,
                };
                let zero_timeout = matches!(timeout, Some(Value::Int(0)))
                    || matches!(timeout, Some(Value::Float(f)) if f.0 == 0.0);
                if !locked {
                    set(self, true, Some(me), 1);
                    return Ok(Value::Bool(true));
                }
                if reentrant && owner == Some(me) {
                    set(self, true, Some(me), count + 1);
                    return Ok(Value::Bool(true));
                }
                if !blocking || zero_timeout {
                    return Ok(Value::Bool(false));
                }
                Err(Flow::Block(Blocker::Lock))
            }
            "release" | "release_lock" | "__exit__" => {
                if !locked {
                    return Err(self.exc_flow(
                        Ty::RuntimeError,
                        if reentrant {
                            "cannot release un-acquired lock"
                        } else {
                            "release unlocked lock"
                        },
                    ));
                }
                if reentrant {
                    if owner != Some(me) {
                        return Err(
                            self.exc_flow(Ty::RuntimeError, "cannot release un-acquired lock")
                        );
                    }
                    if count > 1 {
                        set(self, true, Some(me), count - 1);
                        return Ok(if n == "__exit__" {
                            Value::Bool(false)
                        } else {
                            Value::None
                        });
                    }
                }
                set(self, false, None, 0);
                Ok(if n == "__exit__" {
                    Value::Bool(false)
                } else {
                    Value::None
                })
            }
            "locked" => Ok(Value::Bool(locked)),
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(l, sy))
            }
        }
    }

    pub(crate) fn event_method(
        &mut self,
        _os: &mut dyn Os,
        e: &Value,
        n: &str,
        _args: Vec<Value>,
        _kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        let flag = matches!(
            self.heap.inst(e).map(|i| &i.native),
            Some(Native::Event(true))
        );
        let set = |s: &mut Self, v: bool| {
            if let Some(Native::Event(f)) = s.heap.inst_mut(e).map(|i| &mut i.native) {
                *f = v;
            }
        };
        match n {
            "set" => {
                set(self, true);
                Ok(Value::None)
            }
            "clear" => {
                set(self, false);
                Ok(Value::None)
            }
            "is_set" | "isSet" => Ok(Value::Bool(flag)),
            "wait" => {
                if flag {
                    Ok(Value::Bool(true))
                } else {
                    Err(Flow::Block(Blocker::Lock))
                }
            }
            _ => {
                let sy = self.heap.intern(n);
                Err(self.attr_error(e, sy))
            }
        }
    }
}

/// An `Os` for calls that must not reach the host (naming a thread).
struct NoOs;

impl Os for NoOs {
    fn call(&mut self, _t: u32, _l: u32, _c: OsCall) -> super::super::os::OsReply {
        super::super::os::OsReply::Failed(OsErr::Errno(1))
    }
}
