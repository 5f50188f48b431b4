//! The virtual machine: frames, the instruction loop, calls and exception
//! unwinding.
//!
//! Each thread has its own stack of frames (`Vec<Frame>`); calling a Python
//! function pushes a frame and the loop carries on with it — the loop never
//! recurses into itself for a Python call. That is what lets a thread stop
//! in the middle of any call (a blocking `recv` three functions deep) and
//! resume at the next step, and what makes deep recursion a
//! `RecursionError` instead of a Rust stack overflow.
//!
//! The one exception: built-in functions that call back into Python
//! (`print` calling a `__str__`, `sorted` calling a `key=`) run that call to
//! completion in a nested loop ([`Interp::call_sync`]). A blocking call
//! inside such a callback cannot suspend the thread and raises
//! `RuntimeError` instead (see the README).

use super::ast::{BinOp, CmpOp};
use super::builtins::{self as bi};
use super::compile::{Code, Op};
use super::os::{Os, OsCall, OsReply, OsValue, Stream};
use super::value::*;
use super::{Blocker, Interp, Step, Uncaught};
use std::rc::Rc;

/// CPython's default recursion limit.
pub const RECURSION_LIMIT: usize = 1000;
/// Nested callback runs (built-in → Python → built-in → …).
const NESTED_LIMIT: u32 = 40;
/// Rust stack a step may use for callbacks from built-ins (the browser's
/// whole stack is 1 MB; a nested callback costs some kilobytes in a release
/// build and tens of kilobytes in a debug build).
const STACK_BUDGET: usize = 384 * 1024;
/// Instructions one step may run before it yields mid-statement (keeps a
/// long comprehension from freezing the UI; the statement resumes next step).
const STEP_BUDGET: u32 = 200_000;
/// Instructions a callback (`__str__`, a sort key) may run.
const NESTED_BUDGET: u64 = 20_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Normal,
    /// an `__init__` call: the instance is the result
    Init(Value),
    /// a class body: its namespace becomes the class
    Class(Vec<Value>),
    /// a generator's frame, resumed by a `for` loop (which jumps to
    /// `for_end` when it returns) or by a built-in (`for_end` None, `stop`)
    Gen {
        gen: Ix,
        for_end: Option<u32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Except,
    Finally,
    With,
    /// an exception is being handled (its handler is running)
    Handler,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block {
    pub kind: BlockKind,
    pub handler: u32,
    pub level: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame {
    pub code: Rc<Code>,
    pub ip: u32,
    pub stack: Vec<Value>,
    pub fast: Vec<Option<Value>>,
    pub cells: Vec<Ix>,
    pub globals: Ix,
    /// a class body's namespace
    pub ns: Option<Ns>,
    pub blocks: Vec<Block>,
    pub func: Option<Ix>,
    pub kind: FrameKind,
    /// a callback run by a built-in: returning from it ends the nested loop
    pub stop: bool,
}

/// Positional and keyword arguments of a call.
pub(crate) type Expanded = (Vec<Value>, Vec<(Sym, Value)>);

/// A thread's first call: the callable, its `args` and `kwargs` as given to
/// `Thread(…)` (expanded when the thread starts, as `Thread.run` does:
/// `args=(conn)` fails in the new thread, not in `start()`).
pub(crate) type Boot = (Value, Value, Value);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PyThread {
    pub frames: Vec<Frame>,
    /// exceptions being handled (innermost last)
    pub exc_stack: Vec<Value>,
    /// the threading.Thread object
    pub obj: Option<Value>,
    /// the call that starts the thread, until it has been made
    pub boot: Option<Boot>,
    pub done: bool,
    /// threading.py frames shown above the thread's own in a traceback:
    /// 1 (`_bootstrap_inner`) or 2 (and `run`, when it calls the target)
    pub lib_frames: u8,
    pub line: u32,
    pub name: Rc<str>,
    /// `Interp::interrupt`: raise KeyboardInterrupt at the next step
    pub interrupt: bool,
    /// blocked in `socket.accept()` (a KeyboardInterrupt there shows
    /// socket.py's frame)
    pub in_accept: bool,
    /// `socket.create_connection` blocked in its connect: the socket it
    /// made (fd) and the address, reused when the call is made again
    pub pending_connect: Option<(i64, String, u16)>,
}

/// Why an instruction did not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flow {
    /// a new exception (a traceback entry is added for the current frame)
    Exc(Value),
    /// a re-raised exception (`raise` with no argument, end of a handler)
    Reraise(Value),
    Block(Blocker),
}

pub(crate) type R<T> = Result<T, Flow>;

/// What a call did.
pub(crate) enum Called {
    Val(Value),
    /// a frame was pushed; its result will arrive on the caller's stack
    Pushed,
}

/// Whether a call made by an instruction advances the caller's instruction
/// pointer when it pushes a frame (it does; a callback run by a built-in
/// does not, the built-in is still mid-instruction).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Op,
    Sync,
}

/// What the loop stopped on.
enum Ctl {
    Next,
    /// the thread's last frame returned
    Done,
    /// a callback frame returned this
    Returned(Value),
}

enum RunEnd {
    Stmt(u32),
    Blocked(Blocker),
    Done,
    Uncaught(Value),
    Returned(Value),
    Raised(Value),
}

macro_rules! frame {
    ($s:ident) => {
        match $s.threads.get_mut($s.cur).and_then(|t| t.frames.last_mut()) {
            Some(f) => f,
            None => return Err($s.internal("no frame")),
        }
    };
}

impl Interp {
    pub(crate) fn internal(&mut self, what: &str) -> Flow {
        let e = self.new_exc(Ty::SystemError, &format!("interpreter: {what}"));
        Flow::Exc(e)
    }

    pub(crate) fn thread(&self) -> Option<&PyThread> {
        self.threads.get(self.cur)
    }
    pub(crate) fn thread_mut(&mut self) -> Option<&mut PyThread> {
        self.threads.get_mut(self.cur)
    }
    pub(crate) fn push(&mut self, v: Value) -> R<()> {
        frame!(self).stack.push(v);
        Ok(())
    }
    pub(crate) fn pop(&mut self) -> R<Value> {
        match frame!(self).stack.pop() {
            Some(v) => Ok(v),
            None => Err(self.internal("stack underflow")),
        }
    }
    fn peek(&mut self, depth: usize) -> R<Value> {
        let f = frame!(self);
        let n = f.stack.len();
        match n.checked_sub(depth + 1).and_then(|i| f.stack.get(i)) {
            Some(v) => Ok(v.clone()),
            None => Err(self.internal("stack underflow")),
        }
    }
    fn popn(&mut self, n: usize) -> R<Vec<Value>> {
        let f = frame!(self);
        if f.stack.len() < n {
            return Err(self.internal("stack underflow"));
        }
        let at = f.stack.len() - n;
        Ok(f.stack.split_off(at))
    }
    fn jump(&mut self, to: u32) -> R<()> {
        frame!(self).ip = to;
        Ok(())
    }
    /// The source line of the current thread's current instruction.
    pub(crate) fn cur_line(&self) -> u32 {
        self.thread()
            .and_then(|t| t.frames.last())
            .map(|f| span_of(&f.code, f.ip).line)
            .unwrap_or(0)
    }

    // ------------------------------------------------------------- stepping

    pub(crate) fn step_thread(&mut self, thread: usize, os: &mut dyn Os) -> Step {
        let marker = 0u8;
        self.stack_base = std::ptr::addr_of!(marker) as usize;
        let r = self.step_inner(thread, os);
        self.stack_base = 0;
        r
    }

    fn step_inner(&mut self, thread: usize, os: &mut dyn Os) -> Step {
        self.cur = thread;
        self.fuel = 0;
        if self.threads.get(thread).is_none_or(|t| t.done) {
            return Step::Exited { uncaught: None };
        }
        if thread == 0 {
            for (line, msg) in std::mem::take(&mut self.warnings) {
                let src = self
                    .lines
                    .get(line.saturating_sub(1) as usize)
                    .map(|l| l.trim().to_string())
                    .unwrap_or_default();
                let text = format!("{}:{line}: SyntaxWarning: {msg}\n  {src}\n", self.filename);
                self.write(os, Stream::Stderr, &text);
            }
            if let Some(e) = self.syntax_error.clone() {
                self.write(os, Stream::Stderr, &e.render());
                if let Some(t) = self.thread_mut() {
                    t.done = true;
                }
                self.exit_code = Some(1);
                return Step::Exited {
                    uncaught: Some(Uncaught {
                        kind: e.kind.to_string(),
                        message: e.msg.clone(),
                        line: e.line,
                        exit_code: 1,
                    }),
                };
            }
        }
        // Ctrl-C: KeyboardInterrupt where the thread is (a blocking call is abandoned)
        if self.threads.get(thread).is_some_and(|t| t.interrupt) {
            if let Some(t) = self.thread_mut() {
                t.interrupt = false;
                t.boot = None;
            }
            let e = self.new_exc_args(Ty::KeyboardInterrupt, Vec::new());
            if self.thread().is_some_and(|t| t.in_accept) {
                if let Some(x) = self.heap.exc_mut(&e) {
                    x.tb.push(TbEntry::Lib {
                        file: super::exc::SOCKET_PY,
                        line: 294,
                        name: "accept",
                        text: "fd, addr = self._accept()",
                        carets: "               ^^^^^^^^^^^^^^",
                    });
                }
            }
            if self.thread().is_some_and(|t| t.frames.is_empty()) {
                return self.finish_thread(os, Some(e));
            }
            match self.unwind(e, false) {
                Some(RunEnd::Uncaught(e)) | Some(RunEnd::Raised(e)) => {
                    return self.finish_thread(os, Some(e))
                }
                Some(_) => return self.finish_thread(os, None),
                None => {}
            }
        }
        // a thread's first step makes its boot call
        let boot = self.threads.get(thread).and_then(|t| t.boot.clone());
        if let Some((f, args, kw)) = boot {
            let call = match self.expand_call_args(os, &f, &args, &kw) {
                Ok((a, k)) => self.call(os, f, a, k, Mode::Sync),
                Err(e) => Err(e),
            };
            match call {
                Ok(Called::Pushed) => {
                    if let Some(t) = self.thread_mut() {
                        t.boot = None;
                    }
                }
                Ok(Called::Val(_)) => {
                    if let Some(t) = self.thread_mut() {
                        t.boot = None;
                    }
                    return self.finish_thread(os, None);
                }
                Err(Flow::Block(b)) => {
                    return Step::Blocked {
                        line: self.cur_line(),
                        on: b,
                    }
                }
                Err(Flow::Exc(e)) | Err(Flow::Reraise(e)) => {
                    if let Some(t) = self.thread_mut() {
                        t.boot = None;
                    }
                    return self.finish_thread(os, Some(e));
                }
            }
            if let Some(f) = self.thread_mut().and_then(|t| t.frames.last_mut()) {
                f.stop = false;
            }
        }
        match self.run(os, false) {
            RunEnd::Stmt(line) => Step::Ran { line },
            RunEnd::Blocked(b) => Step::Blocked {
                line: self.cur_line(),
                on: b,
            },
            RunEnd::Done | RunEnd::Returned(_) => self.finish_thread(os, None),
            RunEnd::Uncaught(e) | RunEnd::Raised(e) => self.finish_thread(os, Some(e)),
        }
    }

    fn finish_thread(&mut self, os: &mut dyn Os, exc: Option<Value>) -> Step {
        let line = self.thread().map(|t| t.line).unwrap_or(0);
        let is_main = self.cur == self.main_thread;
        if let Some(t) = self.thread_mut() {
            t.done = true;
            t.frames.clear();
            t.exc_stack.clear();
        }
        if let Some(obj) = self.thread().and_then(|t| t.obj.clone()) {
            if let Some(Native::Thread(th)) = self.heap.inst_mut(&obj).map(|i| &mut i.native) {
                th.done = true;
                // Thread.run() deletes its target and arguments when it is
                // done: they no longer keep a connection alive
                th.target = Value::None;
                th.args = Value::None;
                th.kwargs = Value::None;
            }
        }
        let mut uncaught = None;
        if let Some(e) = exc {
            let ty = self.class_of_exc(&e);
            let is_exit = ty
                .as_ref()
                .is_some_and(|t| self.is_subclass_ty(t, Ty::SystemExit));
            let message = self.exc_str(os, &e);
            let kind = self.exc_type_name(&e);
            let mut code = 1;
            if is_exit {
                let arg = self.heap.exc(&e).and_then(|x| x.args.first().cloned());
                code = match arg {
                    None | Some(Value::None) => 0,
                    Some(Value::Int(i)) => i as i32,
                    Some(Value::Bool(b)) => b as i32,
                    Some(_) => {
                        if is_main {
                            self.write(os, Stream::Stderr, &format!("{message}\n"));
                        }
                        1
                    }
                };
            } else {
                let text = self.format_exception(os, &e);
                let text = if let (true, Some(name)) = (is_main, &self.process_name) {
                    // multiprocessing's _bootstrap: `traceback.print_exc()`
                    format!("Process {name}:\n{text}")
                } else if is_main {
                    text
                } else {
                    let name = self
                        .thread()
                        .map(|t| t.name.clone())
                        .unwrap_or_else(|| "".into());
                    format!("Exception in thread {name}:\n{text}")
                };
                self.write(os, Stream::Stderr, &text);
            }
            if is_main {
                self.exit_code = Some(code);
            }
            uncaught = Some(Uncaught {
                kind,
                message,
                line,
                exit_code: code,
            });
        } else if is_main {
            self.exit_code = Some(0);
        }
        self.collect(os);
        Step::Exited { uncaught }
    }

    /// Runs instructions of the current thread. Outermost (`nested` false):
    /// until the next statement boundary. Nested: until the callback frame
    /// on top when it started returns.
    fn run(&mut self, os: &mut dyn Os, nested: bool) -> RunEnd {
        let mut executed = false;
        let mut first_line = 0;
        let mut budget: u64 = 0;
        loop {
            // statement boundary
            let op = {
                let Some(f) = self.threads.get(self.cur).and_then(|t| t.frames.last()) else {
                    return RunEnd::Done;
                };
                f.code.ops.get(f.ip as usize).copied().unwrap_or(Op::Return)
            };
            if !nested && executed {
                // the end of the thread's code is a step of its own (the last
                // statement ran in this one)
                if op == Op::Return
                    && self.thread().is_some_and(|t| t.frames.len() == 1)
                    && first_line != 0
                {
                    return RunEnd::Stmt(first_line);
                }
            }
            if let Op::Stmt(line) = op {
                if !nested {
                    if executed {
                        return RunEnd::Stmt(first_line);
                    }
                    first_line = line;
                }
                if let Some(t) = self.thread_mut() {
                    t.line = line;
                }
            }
            executed = true;
            budget += 1;
            if !nested && budget > STEP_BUDGET as u64 {
                return RunEnd::Stmt(if first_line == 0 {
                    self.cur_line()
                } else {
                    first_line
                });
            }
            if nested && budget > NESTED_BUDGET {
                let e = self.new_exc(
                    Ty::RuntimeError,
                    "a callback (__str__, key=…) ran too long for one step",
                );
                match self.unwind(e, false) {
                    Some(end) => return end,
                    None => continue,
                }
            }
            let r = self.exec(os, op);
            let flow = match r {
                Ok(Ctl::Next) => continue,
                Ok(Ctl::Done) => return RunEnd::Done,
                Ok(Ctl::Returned(v)) => return RunEnd::Returned(v),
                Err(f) => f,
            };
            match flow {
                Flow::Block(b) => {
                    if nested {
                        let e = self.new_exc(
                            Ty::RuntimeError,
                            "a blocking call inside a callback (__str__, key=…) is not supported",
                        );
                        if let Some(end) = self.unwind(e, false) {
                            return end;
                        }
                        continue;
                    }
                    return RunEnd::Blocked(b);
                }
                Flow::Exc(e) => {
                    if let Some(end) = self.unwind(e, false) {
                        return end;
                    }
                }
                Flow::Reraise(e) => {
                    if let Some(end) = self.unwind(e, true) {
                        return end;
                    }
                }
            }
        }
    }

    /// Looks for a handler for `exc`, popping frames. `None` when one was
    /// found (execution continues there).
    fn unwind(&mut self, exc: Value, reraise: bool) -> Option<RunEnd> {
        if !reraise {
            // __context__: the exception being handled when this one was raised
            let top = self.thread().and_then(|t| t.exc_stack.last().cloned());
            if let Some(top) = top {
                if top != exc {
                    if let Some(x) = self.heap.exc_mut(&exc) {
                        if x.context.is_none() {
                            x.context = Some(top);
                        }
                    }
                }
            }
        }
        let mut add_tb = !reraise;
        let mut raising_frame = true;
        loop {
            let cur = self.cur;
            let thread = self.threads.get_mut(cur)?;
            let Some(frame) = thread.frames.last_mut() else {
                return Some(RunEnd::Uncaught(exc));
            };
            if add_tb {
                let ip = if raising_frame {
                    frame.ip
                } else {
                    frame.ip.saturating_sub(1)
                };
                let entry = TbEntry::Code(frame.code.clone(), ip);
                if let Some(Obj::Inst(i)) = match &exc {
                    Value::Ref(ix) => self
                        .heap
                        .objs
                        .get_mut(*ix as usize)
                        .and_then(|o| o.as_mut()),
                    _ => None,
                } {
                    if let Native::Exc(x) = &mut i.native {
                        x.tb.push(entry);
                    }
                }
            }
            let thread = self.threads.get_mut(cur)?;
            let frame = thread.frames.last_mut()?;
            while let Some(b) = frame.blocks.pop() {
                if b.kind == BlockKind::Handler {
                    thread.exc_stack.pop();
                    continue;
                }
                frame.stack.truncate(b.level as usize);
                frame.blocks.push(Block {
                    kind: BlockKind::Handler,
                    handler: 0,
                    level: b.level,
                });
                frame.stack.push(exc.clone());
                frame.ip = b.handler;
                thread.exc_stack.push(exc);
                return None;
            }
            let popped = thread.frames.pop()?;
            let stop = popped.stop;
            if let FrameKind::Gen { gen, .. } = popped.kind {
                self.gen_finished(gen);
            }
            let had_socket = self.holds_socket(&popped);
            if had_socket {
                self.gc_pending = true;
            }
            if stop {
                return Some(RunEnd::Raised(exc));
            }
            if self.threads.get(cur).is_some_and(|t| t.frames.is_empty()) {
                return Some(RunEnd::Uncaught(exc));
            }
            add_tb = true;
            raising_frame = false;
        }
    }

    // ------------------------------------------------------------- calls

    /// Calls `f` and runs it to completion (a callback from a built-in).
    pub(crate) fn call_sync(
        &mut self,
        os: &mut dyn Os,
        f: Value,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Value> {
        match self.call(os, f, args, kw, Mode::Sync)? {
            Called::Val(v) => Ok(v),
            Called::Pushed => {
                if let Some(fr) = self.thread_mut().and_then(|t| t.frames.last_mut()) {
                    fr.stop = true;
                }
                let marker = 0u8;
                let here = std::ptr::addr_of!(marker) as usize;
                let used = self.stack_base.saturating_sub(here);
                if self.nested >= NESTED_LIMIT || used > STACK_BUDGET {
                    if let Some(t) = self.thread_mut() {
                        t.frames.pop();
                    }
                    return Err(self.exc_flow(
                        Ty::RecursionError,
                        "maximum recursion depth exceeded while calling a Python object",
                    ));
                }
                self.nested += 1;
                let end = self.run(os, true);
                self.nested -= 1;
                match end {
                    RunEnd::Returned(v) => Ok(v),
                    // it passes on through the built-in's caller: a new
                    // traceback entry there
                    RunEnd::Raised(e) | RunEnd::Uncaught(e) => Err(Flow::Exc(e)),
                    _ => Err(self.internal("callback did not return")),
                }
            }
        }
    }

    /// Calls any callable. A Python function gets a new frame (`Pushed`).
    pub(crate) fn call(
        &mut self,
        os: &mut dyn Os,
        f: Value,
        mut args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
        mode: Mode,
    ) -> R<Called> {
        match &f {
            Value::Builtin(b) => Ok(Called::Val(self.call_builtin(os, *b, args, kw)?)),
            Value::Type(t) => Ok(Called::Val(self.construct(os, *t, &f, args, kw)?)),
            Value::Ref(ix) => {
                let ix = *ix;
                match self.heap.get(ix) {
                    Some(Obj::Func(_)) => {
                        match self.push_call(ix, args, kw, FrameKind::Normal, mode)? {
                            None => Ok(Called::Pushed),
                            Some(g) => Ok(Called::Val(g)),
                        }
                    }
                    Some(Obj::Bound(s, func)) => {
                        let (s, func) = (s.clone(), func.clone());
                        args.insert(0, s);
                        self.call(os, func, args, kw, mode)
                    }
                    Some(Obj::BoundNative(s, name)) => {
                        let (s, name) = (s.clone(), *name);
                        Ok(Called::Val(self.call_method(os, &s, name, args, kw)?))
                    }
                    Some(Obj::Class(_)) => self.instantiate(os, f, args, kw, mode),
                    Some(Obj::StaticMethod(inner)) => {
                        let inner = inner.clone();
                        self.call(os, inner, args, kw, mode)
                    }
                    Some(Obj::Inst(_)) => {
                        let call = self.lookup_class_attr(&f, bi::S_CALL);
                        match call {
                            Some(c) => {
                                args.insert(0, f.clone());
                                self.call(os, c, args, kw, mode)
                            }
                            None => {
                                let n = self.type_name(&f);
                                Err(self.exc_flow(
                                    Ty::TypeError,
                                    &format!("'{n}' object is not callable"),
                                ))
                            }
                        }
                    }
                    _ => {
                        let n = self.type_name(&f);
                        Err(self.exc_flow(Ty::TypeError, &format!("'{n}' object is not callable")))
                    }
                }
            }
            _ => {
                let n = self.type_name(&f);
                Err(self.exc_flow(Ty::TypeError, &format!("'{n}' object is not callable")))
            }
        }
    }

    /// A user class called: make the instance, run `__init__`.
    fn instantiate(
        &mut self,
        os: &mut dyn Os,
        cls: Value,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
        mode: Mode,
    ) -> R<Called> {
        let native_ty = self
            .heap
            .class(&cls)
            .map(|c| c.native)
            .unwrap_or(Ty::Object);
        let inst = self.new_instance(cls.clone(), native_ty, &args);
        let init = self.lookup_class_attr(&cls, bi::S_INIT);
        match init {
            Some(Value::Ref(fi)) if matches!(self.heap.get(fi), Some(Obj::Func(_))) => {
                let mut a = Vec::with_capacity(args.len() + 1);
                a.push(inst.clone());
                a.extend(args);
                match self.push_call(fi, a, kw, FrameKind::Init(inst), mode)? {
                    None => Ok(Called::Pushed),
                    Some(_) => Err(self.exc_flow(
                        Ty::TypeError,
                        "__init__() should return None, not 'generator'",
                    )),
                }
            }
            Some(other) if !matches!(other, Value::Type(_)) => {
                let mut a = vec![inst.clone()];
                a.extend(args);
                let r = self.call_sync(os, other, a, kw)?;
                if r != Value::None {
                    let n = self.type_name(&r);
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("__init__() should return None, not '{n}'"),
                    ));
                }
                Ok(Called::Val(inst))
            }
            _ => {
                // the native __init__ of the builtin base
                self.native_init(os, &inst, native_ty, args, kw)?;
                Ok(Called::Val(inst))
            }
        }
    }

    pub(crate) fn new_instance(&mut self, cls: Value, native_ty: Ty, args: &[Value]) -> Value {
        let native = if native_ty.is_exception() {
            Native::Exc(Box::new(Exc {
                args: args.to_vec(),
                cause: None,
                context: None,
                suppress_context: false,
                tb: Vec::new(),
            }))
        } else if native_ty == Ty::Thread || native_ty == Ty::Process {
            Native::Thread(Box::new(ThreadObj {
                name: "".into(),
                daemon: false,
                target: Value::None,
                args: Value::None,
                kwargs: Value::None,
                ix: None,
                done: false,
                main: false,
                ident: 0,
                process: (native_ty == Ty::Process).then(Default::default),
            }))
        } else {
            Native::None
        };
        Value::Ref(self.heap.alloc(Obj::Inst(Box::new(Inst {
            class: cls,
            attrs: Vec::new(),
            native,
        }))))
    }

    /// Binds arguments and pushes a frame for the function at `fi`.
    pub(crate) fn push_call(
        &mut self,
        fi: Ix,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
        kind: FrameKind,
        mode: Mode,
    ) -> R<Option<Value>> {
        let (code, globals, closure, n_def, nkwdef) = match self.heap.get(fi) {
            Some(Obj::Func(f)) => (
                f.code.clone(),
                f.globals,
                f.closure.clone(),
                f.defaults.len(),
                f.kwdefaults.len(),
            ),
            _ => return Err(self.internal("not a function")),
        };
        let depth = self.thread().map(|t| t.frames.len()).unwrap_or(0);
        if depth >= RECURSION_LIMIT {
            return Err(self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded"));
        }
        let n_pos = code.n_pos as usize;
        let n_kwonly = code.n_kwonly as usize;
        let n_params = n_pos + n_kwonly;
        let mut fast: Vec<Option<Value>> = vec![None; code.varnames.len().max(n_params)];
        let nargs = args.len();
        let mut extra = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            if i < n_pos {
                if let Some(slot) = fast.get_mut(i) {
                    *slot = Some(a);
                }
            } else {
                extra.push(a);
            }
        }
        let qual = code.qualname.clone();
        let vararg_ix = n_params;
        let kwarg_ix = n_params + code.vararg as usize;
        if !extra.is_empty() {
            if code.vararg {
                let t = self.new_tuple(extra);
                if let Some(slot) = fast.get_mut(vararg_ix) {
                    *slot = Some(t);
                }
            } else {
                let given_kwonly = kw
                    .iter()
                    .filter(|(k, _)| {
                        code.varnames
                            .get(n_pos..n_params)
                            .is_some_and(|s| s.contains(k))
                    })
                    .count();
                let takes = if n_def > 0 {
                    format!(
                        "from {} to {} positional arguments",
                        n_pos - n_def.min(n_pos),
                        n_pos
                    )
                } else if n_pos == 1 {
                    "1 positional argument".to_string()
                } else {
                    format!("{n_pos} positional arguments")
                };
                let given = if given_kwonly > 0 {
                    format!(
                        "{nargs} positional argument{} (and {given_kwonly} keyword-only argument{}) were given",
                        if nargs == 1 { "" } else { "s" },
                        if given_kwonly == 1 { "" } else { "s" }
                    )
                } else if nargs == 1 {
                    "1 was given".to_string()
                } else {
                    format!("{nargs} were given")
                };
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{qual}() takes {takes} but {given}"),
                ));
            }
        } else if code.vararg {
            let t = self.new_tuple(Vec::new());
            if let Some(slot) = fast.get_mut(vararg_ix) {
                *slot = Some(t);
            }
        }
        let mut kwdict: Vec<(Value, Value)> = Vec::new();
        for (k, v) in kw {
            let pos = code
                .varnames
                .get(..n_params)
                .and_then(|s| s.iter().position(|x| *x == k));
            match pos {
                Some(i) => {
                    if fast.get(i).is_some_and(|s| s.is_some()) {
                        let n = self.heap.name(k).to_string();
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{qual}() got multiple values for argument '{n}'"),
                        ));
                    }
                    if let Some(slot) = fast.get_mut(i) {
                        *slot = Some(v);
                    }
                }
                None => {
                    if code.kwarg {
                        kwdict.push((Value::Str(self.heap.name_rc(k)), v));
                    } else {
                        let n = self.heap.name(k).to_string();
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("{qual}() got an unexpected keyword argument '{n}'"),
                        ));
                    }
                }
            }
        }
        if code.kwarg {
            let d = Value::Ref(self.heap.alloc(Obj::Dict(kwdict)));
            if let Some(slot) = fast.get_mut(kwarg_ix) {
                *slot = Some(d);
            }
        }
        // defaults
        let first_default = n_pos.saturating_sub(n_def);
        let mut missing = Vec::new();
        for i in 0..n_pos {
            if fast.get(i).is_some_and(|s| s.is_none()) {
                if i >= first_default {
                    let d = match self.heap.get(fi) {
                        Some(Obj::Func(f)) => f.defaults.get(i - first_default).cloned(),
                        _ => None,
                    };
                    if let Some(slot) = fast.get_mut(i) {
                        *slot = d;
                    }
                } else {
                    missing.push(code.varnames.get(i).copied().unwrap_or(0));
                }
            }
        }
        if !missing.is_empty() {
            let msg = self.missing_msg(&qual, &missing, "positional");
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        let mut missing_kw = Vec::new();
        for i in n_pos..n_params {
            if fast.get(i).is_some_and(|s| s.is_none()) {
                let name = code.varnames.get(i).copied().unwrap_or(0);
                let d = if nkwdef > 0 {
                    match self.heap.get(fi) {
                        Some(Obj::Func(f)) => f
                            .kwdefaults
                            .iter()
                            .find(|(k, _)| *k == name)
                            .map(|(_, v)| v.clone()),
                        _ => None,
                    }
                } else {
                    None
                };
                match d {
                    Some(d) => {
                        if let Some(slot) = fast.get_mut(i) {
                            *slot = Some(d);
                        }
                    }
                    None => missing_kw.push(name),
                }
            }
        }
        if !missing_kw.is_empty() {
            let msg = self.missing_msg(&qual, &missing_kw, "keyword-only");
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        // cells
        let mut cells = Vec::with_capacity(code.cellvars.len() + closure.len());
        for _ in 0..code.cellvars.len() {
            cells.push(self.heap.alloc(Obj::Cell(None)));
        }
        for &(pi, ci) in &code.cell_args {
            let v = fast.get_mut(pi as usize).and_then(|s| s.take());
            if let Some(&cell) = cells.get(ci as usize) {
                if let Some(Obj::Cell(c)) = self.heap.get_mut(cell) {
                    *c = v;
                }
            }
        }
        cells.extend(closure);
        let frame = Frame {
            code,
            ip: 0,
            stack: Vec::new(),
            fast,
            cells,
            globals,
            ns: None,
            blocks: Vec::new(),
            func: Some(fi),
            kind,
            stop: false,
        };
        if frame.code.generator {
            // calling a generator function makes a generator
            let qualname = frame.code.qualname.clone();
            let g = self.heap.alloc(Obj::Gen(Box::new(GenState {
                frame: Some(frame),
                qualname,
                running: false,
                done: false,
            })));
            return Ok(Some(Value::Ref(g)));
        }
        if mode == Mode::Op {
            frame!(self).ip += 1;
        }
        match self.thread_mut() {
            Some(t) => t.frames.push(frame),
            None => return Err(self.internal("no thread")),
        }
        Ok(None)
    }

    /// Resumes a generator as a frame on this thread's stack. `for_end`: a
    /// `for` loop resumed it (its instruction pointer advances; the loop
    /// ends there when the generator returns); None: a built-in resumed it
    /// and runs it to its next `yield` (see `resume_gen_sync`).
    fn resume_gen(&mut self, g: Ix, sent: Value, for_end: Option<u32>) -> R<bool> {
        let depth = self.thread().map(|t| t.frames.len()).unwrap_or(0);
        let (running, done) = match self.heap.get(g) {
            Some(Obj::Gen(st)) => (st.running, st.done),
            _ => return Err(self.internal("not a generator")),
        };
        if running {
            return Err(self.exc_flow(Ty::ValueError, "generator already executing"));
        }
        if done {
            return Ok(false);
        }
        if depth >= RECURSION_LIMIT {
            return Err(self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded"));
        }
        let frame = match self.heap.get_mut(g) {
            Some(Obj::Gen(st)) => {
                st.running = true;
                st.frame.take()
            }
            _ => None,
        };
        let Some(mut frame) = frame else {
            return Ok(false);
        };
        if frame.ip > 0 {
            frame.stack.push(sent);
        } else if sent != Value::None {
            if let Some(Obj::Gen(st)) = self.heap.get_mut(g) {
                st.running = false;
                st.frame = Some(frame);
            }
            return Err(self.exc_flow(
                Ty::TypeError,
                "can't send non-None value to a just-started generator",
            ));
        }
        frame.kind = FrameKind::Gen { gen: g, for_end };
        frame.stop = for_end.is_none();
        if for_end.is_some() {
            frame!(self).ip += 1;
        }
        match self.thread_mut() {
            Some(t) => t.frames.push(frame),
            None => return Err(self.internal("no thread")),
        }
        Ok(true)
    }

    /// A built-in's `next()` on a generator: runs it to its next `yield`
    /// (None when it returned).
    pub(crate) fn resume_gen_sync(
        &mut self,
        os: &mut dyn Os,
        g: Ix,
        sent: Value,
    ) -> R<Option<Value>> {
        let marker = 0u8;
        let here = std::ptr::addr_of!(marker) as usize;
        let used = self.stack_base.saturating_sub(here);
        if self.nested >= NESTED_LIMIT || used > STACK_BUDGET {
            return Err(self.exc_flow(
                Ty::RecursionError,
                "maximum recursion depth exceeded while calling a Python object",
            ));
        }
        if !self.resume_gen(g, sent, None)? {
            return Ok(None);
        }
        self.nested += 1;
        let end = self.run(os, true);
        self.nested -= 1;
        match end {
            RunEnd::Returned(v) => {
                if std::mem::take(&mut self.gen_returned) {
                    Ok(None)
                } else {
                    Ok(Some(v))
                }
            }
            RunEnd::Raised(e) | RunEnd::Uncaught(e) => Err(Flow::Exc(e)),
            _ => Err(self.internal("generator did not yield")),
        }
    }

    fn gen_finished(&mut self, g: Ix) {
        if let Some(Obj::Gen(st)) = self.heap.get_mut(g) {
            st.running = false;
            st.done = true;
            st.frame = None;
        }
    }

    fn do_yield(&mut self) -> R<Ctl> {
        let v = self.pop()?;
        let Some(mut frame) = self.thread_mut().and_then(|t| t.frames.pop()) else {
            return Err(self.internal("yield without frame"));
        };
        let FrameKind::Gen { gen, .. } = frame.kind else {
            if let Some(t) = self.thread_mut() {
                t.frames.push(frame);
            }
            return Err(self.internal("yield outside a generator frame"));
        };
        frame.ip += 1;
        let stop = frame.stop;
        frame.stop = false;
        if let Some(Obj::Gen(st)) = self.heap.get_mut(gen) {
            st.running = false;
            st.frame = Some(frame);
        }
        if stop {
            return Ok(Ctl::Returned(v));
        }
        self.push(v)?;
        Ok(Ctl::Next)
    }

    fn missing_msg(&self, qual: &str, names: &[Sym], what: &str) -> String {
        let quoted: Vec<String> = names
            .iter()
            .map(|n| format!("'{}'", self.heap.name(*n)))
            .collect();
        let list = match quoted.len() {
            1 => quoted[0].clone(),
            2 => format!("{} and {}", quoted[0], quoted[1]),
            n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        };
        format!(
            "{qual}() missing {} required {what} argument{}: {list}",
            names.len(),
            if names.len() == 1 { "" } else { "s" }
        )
    }

    /// Makes the call at the top of the stack: `base` is the callee's
    /// position; `self_` a bound receiver (CallMethod), `native` a built-in
    /// method name to apply to it.
    fn do_call(&mut self, os: &mut dyn Os, n: usize, kwnames: Option<u32>, method: bool) -> R<Ctl> {
        let (f, recv, args, base) = {
            let fr = frame!(self);
            let len = fr.stack.len();
            let extra = if method { 2 } else { 1 };
            let Some(base) = len.checked_sub(n + extra) else {
                return Err(self.internal("stack underflow in call"));
            };
            let f = fr.stack.get(base).cloned().unwrap_or(Value::None);
            let recv = if method {
                fr.stack.get(base + 1).cloned()
            } else {
                None
            };
            let args: Vec<Value> = fr
                .stack
                .get(base + extra..)
                .map(|s| s.to_vec())
                .unwrap_or_default();
            (f, recv, args, base)
        };
        let mut args = args;
        let kw: Vec<(Sym, Value)> = match kwnames {
            Some(ki) => {
                let names = {
                    let fr = frame!(self);
                    fr.code
                        .kwnames
                        .get(ki as usize)
                        .cloned()
                        .unwrap_or_default()
                };
                let nk = names.len().min(args.len());
                let vals = args.split_off(args.len() - nk);
                names.into_iter().zip(vals).collect()
            }
            None => Vec::new(),
        };
        let result = match (&f, recv) {
            (Value::NativeMeth(name), Some(r)) => {
                Called::Val(self.call_method(os, &r, *name, args, kw)?)
            }
            (_, Some(Value::Null)) | (_, None) => {
                if self.is_py_callable(&f) {
                    frame!(self).stack.truncate(base);
                    self.call(os, f, args, kw, Mode::Op)?
                } else {
                    self.call(os, f, args, kw, Mode::Op)?
                }
            }
            (_, Some(r)) => {
                args.insert(0, r);
                frame!(self).stack.truncate(base);
                self.call(os, f, args, kw, Mode::Op)?
            }
        };
        if let Called::Val(v) = result {
            let fr = frame!(self);
            fr.stack.truncate(base);
            fr.stack.push(v);
            fr.ip += 1;
        }
        Ok(Ctl::Next)
    }

    fn is_py_callable(&self, f: &Value) -> bool {
        match f {
            Value::Ref(i) => match self.heap.get(*i) {
                Some(Obj::Func(_)) => true,
                Some(Obj::Bound(_, g)) => self.is_py_callable(g),
                Some(Obj::Class(_)) => true,
                _ => false,
            },
            _ => false,
        }
    }

    /// Pushes a call's result (or leaves a pushed frame to deliver it).
    fn finish(&mut self, c: Called) -> R<Ctl> {
        if let Called::Val(v) = c {
            let f = frame!(self);
            f.stack.push(v);
            f.ip += 1;
        }
        Ok(Ctl::Next)
    }

    fn do_return(&mut self, os: &mut dyn Os) -> R<Ctl> {
        let v = self.pop()?;
        let Some(mut frame) = self.thread_mut().and_then(|t| t.frames.pop()) else {
            return Err(self.internal("return without frame"));
        };
        let had_socket = self.holds_socket(&frame);
        let v = match std::mem::replace(&mut frame.kind, FrameKind::Normal) {
            FrameKind::Gen { gen, for_end } => {
                self.gen_finished(gen);
                if had_socket {
                    self.gc_pending = true;
                }
                if frame.stop {
                    self.gen_returned = true;
                    return Ok(Ctl::Returned(v));
                }
                // the for loop that resumed it ends
                let f = frame!(self);
                f.stack.pop();
                if let Some(end) = for_end {
                    f.ip = end;
                }
                return Ok(Ctl::Next);
            }
            FrameKind::Normal => v,
            FrameKind::Init(inst) => {
                if v != Value::None {
                    let n = self.type_name(&v);
                    // the error belongs to the caller's call
                    if let Some(t) = self.thread_mut() {
                        t.frames.push(frame);
                    }
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("__init__() should return None, not '{n}'"),
                    ));
                }
                inst
            }
            FrameKind::Class(bases) => {
                let ns = frame.ns.take().unwrap_or_default();
                match self.make_class(os, &frame.code, bases, ns, frame.globals) {
                    Ok(c) => c,
                    Err(e) => {
                        if let Some(t) = self.thread_mut() {
                            t.frames.push(frame);
                        }
                        return Err(e);
                    }
                }
            }
        };
        if had_socket {
            self.gc_pending = true;
        }
        if frame.stop {
            return Ok(Ctl::Returned(v));
        }
        match self.thread_mut().and_then(|t| t.frames.last_mut()) {
            Some(caller) => {
                caller.stack.push(v);
                if self.gc_pending {
                    self.gc_pending = false;
                    self.collect(os);
                }
                Ok(Ctl::Next)
            }
            None => Ok(Ctl::Done),
        }
    }

    // ------------------------------------------------------------- the loop

    /// The most frequent instructions, in a function with a small stack
    /// frame; everything else (and the slow paths) in `exec_cold`.
    #[inline(never)]
    fn exec(&mut self, os: &mut dyn Os, op: Op) -> R<Ctl> {
        let cur = self.cur;
        let Some(f) = self.threads.get_mut(cur).and_then(|t| t.frames.last_mut()) else {
            return self.exec_cold(os, op);
        };
        match op {
            Op::Stmt(_) => {
                if self.heap.allocated > self.gc_threshold || self.gc_pending {
                    return self.exec_cold(os, op);
                }
            }
            Op::Const(i) => {
                let v = f
                    .code
                    .consts
                    .get(i as usize)
                    .cloned()
                    .unwrap_or(Value::None);
                f.stack.push(v);
            }
            Op::LoadFast(i) => match f.fast.get(i as usize) {
                Some(Some(v)) => {
                    let v = v.clone();
                    f.stack.push(v);
                }
                _ => return self.exec_cold(os, op),
            },
            Op::StoreFast(i) => match (f.stack.last(), f.fast.get(i as usize)) {
                (
                    Some(Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None),
                    Some(
                        Some(Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None) | None,
                    ),
                ) => {
                    let v = f.stack.pop();
                    if let Some(slot) = f.fast.get_mut(i as usize) {
                        *slot = v;
                    }
                }
                _ => return self.exec_cold(os, op),
            },
            Op::Jump(t) => {
                f.ip = t;
                return Ok(Ctl::Next);
            }
            Op::JumpIfFalse(t) | Op::JumpIfTrue(t) => match f.stack.last() {
                Some(Value::Bool(b)) => {
                    let b = *b;
                    f.stack.pop();
                    if b == matches!(op, Op::JumpIfTrue(_)) {
                        f.ip = t;
                        return Ok(Ctl::Next);
                    }
                }
                _ => return self.exec_cold(os, op),
            },
            Op::Bin(bop) | Op::Inplace(bop) => {
                let n = f.stack.len();
                let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) else {
                    return self.exec_cold(os, op);
                };
                let (a, b) = (*a, *b);
                let r = match bop {
                    BinOp::Add => a.checked_add(b),
                    BinOp::Sub => a.checked_sub(b),
                    BinOp::Mul => a.checked_mul(b),
                    BinOp::Mod if b > 0 && a >= 0 => Some(a % b),
                    BinOp::FloorDiv if b > 0 && a >= 0 => Some(a / b),
                    _ => None,
                };
                let Some(r) = r else {
                    return self.exec_cold(os, op);
                };
                f.stack.truncate(n - 2);
                f.stack.push(Value::Int(r));
            }
            Op::Cmp(cop) => {
                let n = f.stack.len();
                let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) else {
                    return self.exec_cold(os, op);
                };
                let (a, b) = (*a, *b);
                let r = match cop {
                    CmpOp::Lt => a < b,
                    CmpOp::Le => a <= b,
                    CmpOp::Gt => a > b,
                    CmpOp::Ge => a >= b,
                    CmpOp::Eq => a == b,
                    CmpOp::Ne => a != b,
                    _ => return self.exec_cold(os, op),
                };
                f.stack.truncate(n - 2);
                f.stack.push(Value::Bool(r));
            }
            Op::LoadName(s) | Op::LoadGlobal(s) => {
                if f.ns.is_some() {
                    return self.exec_cold(os, op);
                }
                let g = f.globals;
                let v = match self.heap.objs.get(g as usize) {
                    Some(Some(Obj::Module(m))) => ns_get(&m.ns, s).cloned(),
                    _ => None,
                };
                let Some(v) = v else {
                    return self.exec_cold(os, op);
                };
                match self.threads.get_mut(cur).and_then(|t| t.frames.last_mut()) {
                    Some(f) => f.stack.push(v),
                    None => return self.exec_cold(os, op),
                }
            }
            Op::StoreName(s) | Op::StoreGlobal(s) => {
                if f.ns.is_some()
                    || !matches!(
                        f.stack.last(),
                        Some(
                            Value::Int(_)
                                | Value::Bool(_)
                                | Value::Float(_)
                                | Value::None
                                | Value::Str(_)
                        )
                    )
                {
                    return self.exec_cold(os, op);
                }
                let g = f.globals;
                let Some(v) = f.stack.pop() else {
                    return self.exec_cold(os, op);
                };
                let old = match self.heap.objs.get_mut(g as usize) {
                    Some(Some(Obj::Module(m))) => ns_set(&mut m.ns, s, v),
                    _ => None,
                };
                if let Some(Value::Ref(_)) = old {
                    self.note_drop_ref(old);
                }
            }
            Op::Pop => {
                if matches!(f.stack.last(), Some(Value::Ref(_))) {
                    return self.exec_cold(os, op);
                }
                f.stack.pop();
            }
            // calls go straight to their helpers (a callback from a built-in
            // nests run → exec → call: keep that path's frames small)
            Op::CallMethod(n) => return self.do_call(os, n as usize, None, true),
            Op::CallMethodKw(n, k) => return self.do_call(os, n as usize, Some(k), true),
            Op::Call(n) => return self.do_call(os, n as usize, None, false),
            Op::CallKw(n, k) => return self.do_call(os, n as usize, Some(k), false),
            Op::Return => return self.do_return(os),
            _ => return self.exec_cold(os, op),
        }
        if let Some(f) = self.threads.get_mut(cur).and_then(|t| t.frames.last_mut()) {
            f.ip += 1;
        }
        Ok(Ctl::Next)
    }

    fn note_drop_ref(&mut self, old: Option<Value>) {
        if let Some(v) = old {
            self.note_drop(&v);
        }
    }

    #[inline(never)]
    fn exec_cold(&mut self, os: &mut dyn Os, op: Op) -> R<Ctl> {
        macro_rules! next {
            () => {{
                frame!(self).ip += 1;
                return Ok(Ctl::Next);
            }};
        }
        match op {
            Op::Stmt(_) => {
                if self.heap.allocated > self.gc_threshold || self.gc_pending {
                    self.gc_pending = false;
                    self.collect(os);
                }
                next!()
            }
            Op::Const(i) => {
                let f = frame!(self);
                let v = f
                    .code
                    .consts
                    .get(i as usize)
                    .cloned()
                    .unwrap_or(Value::None);
                f.stack.push(v);
                next!()
            }
            Op::LoadFast(i) => {
                let f = frame!(self);
                match f.fast.get(i as usize) {
                    Some(Some(v)) => {
                        let v = v.clone();
                        f.stack.push(v);
                        next!()
                    }
                    _ => {
                        let name = f.code.varnames.get(i as usize).copied().unwrap_or(0);
                        let n = self.heap.name(name).to_string();
                        Err(self.exc_flow(
                            Ty::UnboundLocalError,
                            &format!("cannot access local variable '{n}' where it is not associated with a value"),
                        ))
                    }
                }
            }
            Op::StoreFast(i) => {
                let v = self.pop()?;
                let f = frame!(self);
                let old = f.fast.get_mut(i as usize).and_then(|s| s.replace(v));
                if let Some(old) = old {
                    self.note_drop(&old);
                }
                next!()
            }
            Op::DelFast(i) => {
                let f = frame!(self);
                match f.fast.get_mut(i as usize).and_then(|s| s.take()) {
                    Some(old) => {
                        self.note_drop(&old);
                        next!()
                    }
                    None => {
                        let name = f.code.varnames.get(i as usize).copied().unwrap_or(0);
                        let n = self.heap.name(name).to_string();
                        Err(self.exc_flow(
                            Ty::UnboundLocalError,
                            &format!("cannot access local variable '{n}' where it is not associated with a value"),
                        ))
                    }
                }
            }
            Op::LoadDeref(i) | Op::LoadClassDeref(_, i) => {
                if let Op::LoadClassDeref(s, _) = op {
                    let f = frame!(self);
                    if let Some(v) = f.ns.as_ref().and_then(|ns| ns_get(ns, s)).cloned() {
                        f.stack.push(v);
                        next!()
                    }
                }
                let cell = frame!(self).cells.get(i as usize).copied();
                let v = cell.and_then(|c| match self.heap.get(c) {
                    Some(Obj::Cell(v)) => v.clone(),
                    _ => None,
                });
                match v {
                    Some(v) => {
                        self.push(v)?;
                        next!()
                    }
                    None => {
                        let name = self.cell_name(i);
                        Err(self.exc_flow(
                            Ty::NameError,
                            &format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"),
                        ))
                    }
                }
            }
            Op::StoreDeref(i) | Op::DelDeref(i) => {
                let v = if matches!(op, Op::StoreDeref(_)) {
                    Some(self.pop()?)
                } else {
                    None
                };
                let cell = frame!(self).cells.get(i as usize).copied();
                if let Some(c) = cell {
                    if let Some(Obj::Cell(slot)) = self.heap.get_mut(c) {
                        *slot = v;
                    }
                }
                next!()
            }
            Op::LoadGlobal(s) | Op::LoadName(s) => {
                let f = frame!(self);
                if let Op::LoadName(_) = op {
                    if let Some(v) = f.ns.as_ref().and_then(|ns| ns_get(ns, s)).cloned() {
                        f.stack.push(v);
                        next!()
                    }
                }
                let g = f.globals;
                let v = match self.heap.get(g) {
                    Some(Obj::Module(m)) => ns_get(&m.ns, s).cloned(),
                    _ => None,
                };
                let v = match v {
                    Some(v) => v,
                    None => match bi::builtin(s) {
                        Some(v) => v,
                        None => {
                            let n = self.heap.name(s).to_string();
                            let e =
                                self.new_exc(Ty::NameError, &format!("name '{n}' is not defined"));
                            let ns = self.heap.intern("name");
                            let nv = Value::Str(self.heap.name_rc(s));
                            if let Some(x) = self.heap.inst_mut(&e) {
                                x.attrs.push((ns, nv));
                            }
                            return Err(Flow::Exc(e));
                        }
                    },
                };
                self.push(v)?;
                next!()
            }
            Op::StoreName(s) | Op::StoreGlobal(s) => {
                let v = self.pop()?;
                let f = frame!(self);
                if let (Op::StoreName(_), Some(ns)) = (op, f.ns.as_mut()) {
                    ns_set(ns, s, v);
                    next!()
                }
                let g = f.globals;
                let old = match self.heap.get_mut(g) {
                    Some(Obj::Module(m)) => ns_set(&mut m.ns, s, v),
                    _ => None,
                };
                if let Some(old) = old {
                    self.note_drop(&old);
                }
                next!()
            }
            Op::DelName(s) | Op::DelGlobal(s) => {
                let f = frame!(self);
                if let (Op::DelName(_), Some(ns)) = (op, f.ns.as_mut()) {
                    if ns_del(ns, s).is_some() {
                        next!()
                    }
                }
                let g = f.globals;
                let old = match self.heap.get_mut(g) {
                    Some(Obj::Module(m)) => ns_del(&mut m.ns, s),
                    _ => None,
                };
                match old {
                    Some(old) => {
                        self.note_drop(&old);
                        next!()
                    }
                    None => {
                        let n = self.heap.name(s).to_string();
                        Err(self.exc_flow(Ty::NameError, &format!("name '{n}' is not defined")))
                    }
                }
            }
            Op::LoadAttr(s) => {
                let obj = self.peek(0)?;
                let v = self.getattr(os, &obj, s)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(v);
                next!()
            }
            Op::StoreAttr(s) => {
                let obj = self.peek(0)?;
                let v = self.peek(1)?;
                self.setattr(os, &obj, s, v)?;
                self.popn(2)?;
                next!()
            }
            Op::DelAttr(s) => {
                let obj = self.peek(0)?;
                self.delattr(&obj, s)?;
                self.pop()?;
                next!()
            }
            Op::LoadMethod(s) => {
                let obj = self.peek(0)?;
                let (a, b) = self.load_method(os, &obj, s)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(a);
                f.stack.push(b);
                next!()
            }
            Op::CallMethod(n) => self.do_call(os, n as usize, None, true),
            Op::CallMethodKw(n, k) => self.do_call(os, n as usize, Some(k), true),
            Op::Call(n) => self.do_call(os, n as usize, None, false),
            Op::CallKw(n, k) => self.do_call(os, n as usize, Some(k), false),
            Op::CallStar => {
                let v = self.pop()?;
                let target = self.peek(0)?;
                let f = self.peek(1)?;
                let (items, _) = self.expand_call_args(os, &f, &v, &Value::None)?;
                if let Value::Ref(i) = target {
                    if let Some(Obj::List(l)) = self.heap.get_mut(i) {
                        l.extend(items);
                    }
                }
                next!()
            }
            Op::CallDStar => {
                let v = self.pop()?;
                let target = self.peek(0)?;
                let f = self.peek(2)?;
                let (_, kw) = self.expand_call_args(os, &f, &Value::None, &v)?;
                for (k, val) in kw {
                    let ks = Value::Str(self.heap.name_rc(k));
                    self.dict_set(&target, ks, val)?;
                }
                next!()
            }
            Op::CallEx(has_kw) => {
                let kwargs = if has_kw { Some(self.peek(0)?) } else { None };
                let d = has_kw as usize;
                let args = self.peek(d)?;
                let f = self.peek(d + 1)?;
                let args = self.seq_items(&args)?;
                let mut kw = Vec::new();
                if let Some(k) = kwargs {
                    for (key, v) in self.dict_items(&k)? {
                        match key {
                            Value::Str(s) => kw.push((self.heap.intern(&s), v)),
                            _ => {
                                return Err(self.exc_flow(Ty::TypeError, "keywords must be strings"))
                            }
                        }
                    }
                }
                let py = self.is_py_callable(&f);
                if py {
                    let fr = frame!(self);
                    let n = fr.stack.len().saturating_sub(d + 2);
                    fr.stack.truncate(n);
                }
                let c = self.call(os, f, args, kw, Mode::Op)?;
                if let Called::Val(v) = c {
                    let fr = frame!(self);
                    if !py {
                        let n = fr.stack.len().saturating_sub(d + 2);
                        fr.stack.truncate(n);
                    }
                    fr.stack.push(v);
                    fr.ip += 1;
                }
                Ok(Ctl::Next)
            }
            Op::Subscr => {
                let idx = self.peek(0)?;
                let obj = self.peek(1)?;
                let v = self.getitem(os, &obj, &idx)?;
                let f = frame!(self);
                let n = f.stack.len().saturating_sub(2);
                f.stack.truncate(n);
                f.stack.push(v);
                next!()
            }
            Op::StoreSubscr => {
                let idx = self.peek(0)?;
                let obj = self.peek(1)?;
                let v = self.peek(2)?;
                self.setitem(os, &obj, &idx, v)?;
                self.popn(3)?;
                next!()
            }
            Op::DelSubscr => {
                let idx = self.peek(0)?;
                let obj = self.peek(1)?;
                self.delitem(os, &obj, &idx)?;
                self.popn(2)?;
                next!()
            }
            Op::Bin(bop) | Op::Inplace(bop) => {
                let f = frame!(self);
                let n = f.stack.len();
                // the fast path: two small ints
                if let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) {
                    let (a, b) = (*a, *b);
                    let r = match bop {
                        BinOp::Add => a.checked_add(b),
                        BinOp::Sub => a.checked_sub(b),
                        BinOp::Mul => a.checked_mul(b),
                        BinOp::Mod if b > 0 && a >= 0 => Some(a % b),
                        BinOp::FloorDiv if b > 0 && a >= 0 => Some(a / b),
                        _ => None,
                    };
                    if let Some(r) = r {
                        f.stack.truncate(n - 2);
                        f.stack.push(Value::Int(r));
                        f.ip += 1;
                        return Ok(Ctl::Next);
                    }
                }
                let b = self.peek(0)?;
                let a = self.peek(1)?;
                let v = self.binary(os, bop, &a, &b, matches!(op, Op::Inplace(_)))?;
                let f = frame!(self);
                let n = f.stack.len().saturating_sub(2);
                f.stack.truncate(n);
                f.stack.push(v);
                next!()
            }
            Op::Unary(uop) => {
                let a = self.peek(0)?;
                let v = self.unary(os, uop, &a)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(v);
                next!()
            }
            Op::Cmp(cop) => {
                let f = frame!(self);
                let n = f.stack.len();
                if let (Some(Value::Int(a)), Some(Value::Int(b))) = (
                    f.stack.get(n.wrapping_sub(2)),
                    f.stack.get(n.wrapping_sub(1)),
                ) {
                    let (a, b) = (*a, *b);
                    let r = match cop {
                        CmpOp::Lt => Some(a < b),
                        CmpOp::Le => Some(a <= b),
                        CmpOp::Gt => Some(a > b),
                        CmpOp::Ge => Some(a >= b),
                        CmpOp::Eq => Some(a == b),
                        CmpOp::Ne => Some(a != b),
                        _ => None,
                    };
                    if let Some(r) = r {
                        f.stack.truncate(n - 2);
                        f.stack.push(Value::Bool(r));
                        f.ip += 1;
                        return Ok(Ctl::Next);
                    }
                }
                let b = self.peek(0)?;
                let a = self.peek(1)?;
                let v = self.compare(os, cop, &a, &b)?;
                let f = frame!(self);
                let n = f.stack.len().saturating_sub(2);
                f.stack.truncate(n);
                f.stack.push(v);
                next!()
            }
            Op::Pop => {
                let v = self.pop()?;
                self.note_drop(&v);
                next!()
            }
            Op::Dup => {
                let v = self.peek(0)?;
                self.push(v)?;
                next!()
            }
            Op::Dup2 => {
                let b = self.peek(0)?;
                let a = self.peek(1)?;
                self.push(a)?;
                self.push(b)?;
                next!()
            }
            Op::Rot2 => {
                let f = frame!(self);
                let n = f.stack.len();
                if n >= 2 {
                    f.stack.swap(n - 1, n - 2);
                }
                next!()
            }
            Op::Rot3 => {
                let f = frame!(self);
                let n = f.stack.len();
                if n >= 3 {
                    // a b c -> c a b
                    if let Some(top) = f.stack.pop() {
                        f.stack.insert(n - 3, top);
                    }
                }
                next!()
            }
            Op::BuildTuple(n) => {
                let items = self.popn(n as usize)?;
                let t = self.new_tuple(items);
                self.push(t)?;
                next!()
            }
            Op::BuildList(n) => {
                let items = self.popn(n as usize)?;
                let l = Value::Ref(self.heap.alloc(Obj::List(items)));
                self.push(l)?;
                next!()
            }
            Op::BuildSet(n) => {
                let items = self.popn(n as usize)?;
                let s = self.new_set(items)?;
                self.push(s)?;
                next!()
            }
            Op::BuildMap(n) => {
                let items = self.popn(2 * n as usize)?;
                let d = Value::Ref(self.heap.alloc(Obj::Dict(Vec::new())));
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    self.dict_set(&d, k, v)?;
                }
                self.push(d)?;
                next!()
            }
            Op::BuildSlice(n) => {
                let items = self.popn(n as usize)?;
                let mut it = items.into_iter();
                let a = it.next().unwrap_or(Value::None);
                let b = it.next().unwrap_or(Value::None);
                let c = it.next().unwrap_or(Value::None);
                let s = Value::Ref(self.heap.alloc(Obj::Slice(a, b, c)));
                self.push(s)?;
                next!()
            }
            Op::BuildStr(n) => {
                let items = self.popn(n as usize)?;
                let mut s = String::new();
                for i in items {
                    if let Value::Str(p) = i {
                        s.push_str(&p);
                    }
                }
                self.push(Value::Str(s.into()))?;
                next!()
            }
            Op::ListAppend(d) | Op::SetAdd(d) | Op::ListExtend(d) | Op::SetUpdate(d) => {
                let v = self.pop()?;
                let target = self.peek((d as usize).saturating_sub(1))?;
                match op {
                    Op::ListAppend(_) => {
                        let mut too_big = false;
                        if let Value::Ref(i) = target {
                            if let Some(Obj::List(l)) = self.heap.get_mut(i) {
                                l.push(v);
                                too_big = l.len() > super::ops::MAX_ITEMS;
                            }
                        }
                        if too_big {
                            return Err(self.exc_flow(Ty::MemoryError, ""));
                        }
                    }
                    Op::SetAdd(_) => self.set_add(&target, v)?,
                    Op::ListExtend(_) => {
                        let items = self.iterate(os, &v).map_err(|e| self.star_error(e, &v))?;
                        if let Value::Ref(i) = target {
                            if let Some(Obj::List(l)) = self.heap.get_mut(i) {
                                l.extend(items);
                            }
                        }
                    }
                    _ => {
                        let items = self.iterate(os, &v)?;
                        for it in items {
                            self.set_add(&target, it)?;
                        }
                    }
                }
                next!()
            }
            Op::MapAdd(d) => {
                let v = self.pop()?;
                let k = self.pop()?;
                let target = self.peek((d as usize).saturating_sub(1))?;
                self.dict_set(&target, k, v)?;
                next!()
            }
            Op::DictUpdate(d) => {
                let v = self.pop()?;
                let target = self.peek((d as usize).saturating_sub(1))?;
                let items = match self.dict_items(&v) {
                    Ok(i) => i,
                    Err(_) => {
                        let n = self.type_name(&v);
                        return Err(self.exc_flow(
                            Ty::TypeError,
                            &format!("argument after ** must be a mapping, not {n}"),
                        ));
                    }
                };
                for (k, val) in items {
                    self.dict_set(&target, k, val)?;
                }
                next!()
            }
            Op::ListToTuple => {
                let v = self.pop()?;
                let items = match &v {
                    Value::Ref(i) => match self.heap.get(*i) {
                        Some(Obj::List(l)) => l.clone(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let t = self.new_tuple(items);
                self.push(t)?;
                next!()
            }
            Op::Format(flags) => {
                let spec = if flags & 4 != 0 {
                    match self.pop()? {
                        Value::Str(s) => Some(s),
                        _ => None,
                    }
                } else {
                    None
                };
                let v = self.pop()?;
                let v = match flags & 3 {
                    1 => Value::Str(self.str_of(os, &v)?),
                    2 => Value::Str(self.repr(os, &v)?),
                    3 => Value::Str(self.ascii(os, &v)?),
                    _ => v,
                };
                let s = match (&v, &spec) {
                    (Value::Str(s), None) => s.clone(),
                    _ => self.format(os, &v, spec.as_deref().unwrap_or(""))?,
                };
                self.push(Value::Str(s))?;
                next!()
            }
            Op::Jump(t) => {
                self.jump(t)?;
                Ok(Ctl::Next)
            }
            Op::JumpIfFalse(t) | Op::JumpIfTrue(t) => {
                let v = self.pop()?;
                let b = match v {
                    Value::Bool(b) => b,
                    _ => self.truthy(os, &v)?,
                };
                if b == matches!(op, Op::JumpIfTrue(_)) {
                    self.jump(t)?;
                } else {
                    frame!(self).ip += 1;
                }
                Ok(Ctl::Next)
            }
            Op::JumpIfFalseOrPop(t) | Op::JumpIfTrueOrPop(t) => {
                let v = self.peek(0)?;
                let b = self.truthy(os, &v)?;
                if b == matches!(op, Op::JumpIfTrueOrPop(_)) {
                    self.jump(t)?;
                } else {
                    self.pop()?;
                    frame!(self).ip += 1;
                }
                Ok(Ctl::Next)
            }
            Op::GetIter => {
                let v = self.peek(0)?;
                let it = self.get_iter(os, &v)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.push(it);
                next!()
            }
            Op::ForIter(end) => {
                let it = self.peek(0)?;
                if let Value::Ref(g) = it {
                    if let Some(Obj::Gen(_)) = self.heap.get(g) {
                        if !self.resume_gen(g, Value::None, Some(end))? {
                            self.pop()?;
                            self.jump(end)?;
                        }
                        return Ok(Ctl::Next);
                    }
                }
                match self.next(os, &it)? {
                    Some(v) => {
                        self.push(v)?;
                        next!()
                    }
                    None => {
                        self.pop()?;
                        self.jump(end)?;
                        Ok(Ctl::Next)
                    }
                }
            }
            Op::Unpack(n) => {
                let v = self.peek(0)?;
                let items = self.unpack(os, &v, n as usize, None)?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.extend(items.into_iter().rev());
                next!()
            }
            Op::UnpackEx(before, after) => {
                let v = self.peek(0)?;
                let items = self.unpack(os, &v, before as usize, Some(after as usize))?;
                let f = frame!(self);
                f.stack.pop();
                f.stack.extend(items.into_iter().rev());
                next!()
            }
            Op::MakeFunction(ci) => {
                let (code, globals, cells) = {
                    let f = frame!(self);
                    (
                        f.code.codes.get(ci as usize).cloned(),
                        f.globals,
                        f.cells.clone(),
                    )
                };
                let Some(code) = code else {
                    return Err(self.internal("bad code index"));
                };
                let nk = code.kwdefault_names.len();
                let kwvals = self.popn(nk)?;
                let defaults = self.popn(code.n_defaults as usize)?;
                let closure: Vec<Ix> = code
                    .free_from
                    .iter()
                    .filter_map(|&i| cells.get(i as usize).copied())
                    .collect();
                let kwdefaults = code.kwdefault_names.iter().copied().zip(kwvals).collect();
                let f = Value::Ref(self.heap.alloc(Obj::Func(Box::new(Func {
                    code,
                    globals,
                    defaults,
                    kwdefaults,
                    closure,
                    class: None,
                    attrs: Vec::new(),
                }))));
                self.push(f)?;
                next!()
            }
            Op::BuildClass(ci, nbases) => {
                let bases = self.popn(nbases as usize)?;
                let (code, globals, cells) = {
                    let f = frame!(self);
                    (
                        f.code.codes.get(ci as usize).cloned(),
                        f.globals,
                        f.cells.clone(),
                    )
                };
                let Some(code) = code else {
                    return Err(self.internal("bad code index"));
                };
                for b in &bases {
                    self.check_base(b)?;
                }
                let closure: Vec<Ix> = code
                    .free_from
                    .iter()
                    .filter_map(|&i| cells.get(i as usize).copied())
                    .collect();
                let depth = self.thread().map(|t| t.frames.len()).unwrap_or(0);
                if depth >= RECURSION_LIMIT {
                    return Err(
                        self.exc_flow(Ty::RecursionError, "maximum recursion depth exceeded")
                    );
                }
                let mut ns: Ns = Vec::new();
                let modname = self.module_name(globals);
                ns.push((bi::S_MODULE, Value::Str(modname)));
                ns.push((bi::S_QUALNAME, Value::Str(code.qualname.clone())));
                let frame = Frame {
                    code,
                    ip: 0,
                    stack: Vec::new(),
                    fast: Vec::new(),
                    cells: closure,
                    globals,
                    ns: Some(ns),
                    blocks: Vec::new(),
                    func: None,
                    kind: FrameKind::Class(bases),
                    stop: false,
                };
                frame!(self).ip += 1;
                if let Some(t) = self.thread_mut() {
                    t.frames.push(frame);
                }
                Ok(Ctl::Next)
            }
            Op::Return => self.do_return(os),
            Op::Raise(n) => {
                let cause = if n == 2 { Some(self.pop()?) } else { None };
                let exc = if n >= 1 { Some(self.pop()?) } else { None };
                match exc {
                    None => {
                        let top = self.thread().and_then(|t| t.exc_stack.last().cloned());
                        match top {
                            Some(e) => Err(Flow::Reraise(e)),
                            None => {
                                Err(self
                                    .exc_flow(Ty::RuntimeError, "No active exception to reraise"))
                            }
                        }
                    }
                    Some(e) => {
                        let e = self.make_exc(os, e)?;
                        if let Some(c) = cause {
                            let c = if c == Value::None {
                                None
                            } else {
                                Some(self.make_exc_cause(os, c)?)
                            };
                            if let Some(x) = self.heap.exc_mut(&e) {
                                x.cause = c;
                                x.suppress_context = true;
                            }
                        }
                        Err(Flow::Exc(e))
                    }
                }
            }
            Op::Reraise => {
                let e = self.pop()?;
                Err(Flow::Reraise(e))
            }
            Op::SetupExcept(h) | Op::SetupFinally(h) | Op::SetupWith(h) => {
                let f = frame!(self);
                let level =
                    (f.stack.len() as u32).saturating_sub(matches!(op, Op::SetupWith(_)) as u32);
                let kind = match op {
                    Op::SetupExcept(_) => BlockKind::Except,
                    Op::SetupFinally(_) => BlockKind::Finally,
                    _ => BlockKind::With,
                };
                f.blocks.push(Block {
                    kind,
                    handler: h,
                    level,
                });
                next!()
            }
            Op::PopBlock => {
                frame!(self).blocks.pop();
                next!()
            }
            Op::PopExcept => {
                let f = frame!(self);
                if let Some(b) = f.blocks.pop() {
                    if b.kind == BlockKind::Handler {
                        if let Some(t) = self.thread_mut() {
                            t.exc_stack.pop();
                        }
                    }
                }
                next!()
            }
            Op::ExcMatch => {
                // [exc, exc, type] -> [exc, bool]
                let typ = self.pop()?;
                let exc = self.pop()?;
                let m = self.exc_matches(&exc, &typ)?;
                self.push(Value::Bool(m))?;
                next!()
            }
            Op::BeforeWith => {
                let mgr = self.peek(0)?;
                let enter = self.lookup_special(&mgr, bi::S_ENTER);
                let exit = self.lookup_special(&mgr, bi::S_EXIT);
                let (Some(enter), Some(exit)) = (enter, exit) else {
                    let n = self.type_name(&mgr);
                    return Err(self.exc_flow(
                        Ty::TypeError,
                        &format!("'{n}' object does not support the context manager protocol"),
                    ));
                };
                {
                    let f = frame!(self);
                    f.stack.pop();
                    f.stack.push(exit);
                }
                let c = self.call(os, enter, Vec::new(), Vec::new(), Mode::Op);
                match c {
                    Ok(c) => self.finish(c),
                    Err(e) => {
                        // leave the stack as it was for the traceback
                        let f = frame!(self);
                        f.stack.pop();
                        f.stack.push(mgr);
                        Err(e)
                    }
                }
            }
            Op::WithExitNormal => {
                let exit = self.pop()?;
                let c = self.call(
                    os,
                    exit,
                    vec![Value::None, Value::None, Value::None],
                    Vec::new(),
                    Mode::Op,
                )?;
                self.finish(c)
            }
            Op::WithExcept => {
                let exc = self.peek(0)?;
                let exit = self.peek(1)?;
                let ty = self.type_of(&exc);
                let c = self.call(os, exit, vec![ty, exc, Value::None], Vec::new(), Mode::Op)?;
                self.finish(c)
            }
            Op::WithExceptCheck => {
                let res = self.pop()?;
                let exc = self.pop()?;
                if self.truthy(os, &res)? {
                    self.pop()?; // __exit__
                    let f = frame!(self);
                    if let Some(b) = f.blocks.pop() {
                        if b.kind == BlockKind::Handler {
                            if let Some(t) = self.thread_mut() {
                                t.exc_stack.pop();
                            }
                        }
                    }
                    next!()
                }
                Err(Flow::Reraise(exc))
            }
            Op::ImportName(s) => {
                let m = self.import(os, s)?;
                self.push(m)?;
                next!()
            }
            Op::ImportFrom(s) => {
                let m = self.peek(0)?;
                let v = match self.module_get(&m, s) {
                    Some(v) => v,
                    None => {
                        let name = self.heap.name(s).to_string();
                        let mn = self.module_name_of(&m);
                        return Err(self.exc_flow(
                            Ty::ImportError,
                            &format!("cannot import name '{name}' from '{mn}' (unknown location)"),
                        ));
                    }
                };
                self.push(v)?;
                next!()
            }
            Op::ImportStar => {
                let m = self.pop()?;
                let items: Ns = match &m {
                    Value::Ref(i) => match self.heap.get(*i) {
                        Some(Obj::Module(md)) => md
                            .ns
                            .iter()
                            .filter(|(k, _)| !self.heap.name(*k).starts_with('_'))
                            .cloned()
                            .collect(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let f = frame!(self);
                let g = f.globals;
                if let Some(ns) = f.ns.as_mut() {
                    for (k, v) in items {
                        ns_set(ns, k, v);
                    }
                } else if let Some(Obj::Module(md)) = self.heap.get_mut(g) {
                    for (k, v) in items {
                        ns_set(&mut md.ns, k, v);
                    }
                }
                next!()
            }
            Op::Yield => self.do_yield(),
            Op::BigInt => Err(self.exc_flow(
                Ty::OverflowError,
                "integer literal too large (this interpreter's ints are 64-bit)",
            )),
        }
    }

    fn cell_name(&mut self, i: u32) -> String {
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

    fn star_error(&mut self, e: Flow, v: &Value) -> Flow {
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
    fn holds_socket(&self, f: &Frame) -> bool {
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
    fn note_drop(&mut self, v: &Value) {
        if self.is_socket(v) {
            self.gc_pending = true;
        }
    }

    pub(crate) fn class_of_exc(&self, e: &Value) -> Option<Value> {
        self.heap.inst(e).map(|i| i.class.clone())
    }
}
