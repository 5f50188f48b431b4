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

mod calls;
mod dispatch;
mod exec_cold;
mod exec_flow;
mod generators;
mod helpers;
mod stepping;

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
}
