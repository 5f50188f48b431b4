//! A Python interpreter for the programs of a socket-programming course,
//! built for the deterministic, sans-IO simulation core.
//!
//! See `README.md` beside this file for the layers, the supported subset
//! and the design choices. In short:
//!
//! ```text
//! source ─ lexer ─ parser ─ compile ─ VM (frames per thread) ─ modules ─ Os trait ─ host
//! ```
//!
//! All interpreter state is one [`Interp`] value (one per simulated
//! process): cloning it snapshots the program, and two clones compare
//! equal. Nothing in here reads a clock, does I/O, starts a thread or draws
//! randomness; every effect is an [`OsCall`] through the host's [`Os`].
//!
//! # Driving it
//!
//! ```
//! use sockscope::sim::python::{Interp, Os, OsCall, OsReply, OsValue, Step, Stream};
//! struct Host(String);
//! impl Os for Host {
//!     fn call(&mut self, _thread: u32, _line: u32, call: OsCall) -> OsReply {
//!         if let OsCall::Write { stream: Stream::Stdout, text } = call {
//!             self.0.push_str(&text);
//!         }
//!         OsReply::Done(OsValue::None)
//!     }
//! }
//! let mut py = Interp::new("hello.py", "x = 6 * 7\nprint('x is', x)\n");
//! let mut host = Host(String::new());
//! while let Step::Ran { .. } = py.step(0, &mut host) {}
//! assert_eq!(host.0, "x is 42\n");
//! ```
//!
//! One [`Interp::step`] runs one statement of one thread (a simple
//! statement, or the header of a compound one: a `while` test, a `for`
//! loop's next item, an `if` test, a `def` binding, entering `try:`).
//! [`Step::Blocked`] means the thread made a call that cannot finish yet;
//! stepping it again repeats exactly that call (see [`os`]).

mod ast;
mod builtins;
mod case;
#[rustfmt::skip]
mod case_data;
mod compile;
pub mod engine;
mod exc;
mod float;
mod gc;
mod httpmsg;
mod lexer;
mod methods;
mod modules;
mod ops;
pub mod os;
mod parser;
mod select;
pub mod test_os;
#[cfg(test)]
mod tests;
mod text;
mod value;
mod vm;

pub use os::{strerror, Os, OsCall, OsErr, OsReply, OsValue, Stream, ThreadIx};
pub use text::float_repr;

use std::rc::Rc;
use value::{Heap, Ix, Module, Obj, Sym, Value};
use vm::{Frame, FrameKind, PyThread};

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A statement ran; `line` is where it started. (A very long statement
    /// — a comprehension over a million items — may take several steps.)
    Ran { line: u32 },
    /// The thread waits, at `line`.
    Blocked { line: u32, on: Blocker },
    /// The thread has finished (now or earlier). An uncaught exception has
    /// already been printed to stderr, as CPython prints it.
    Exited { uncaught: Option<Uncaught> },
}

/// What a blocked thread waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    /// The host answered [`OsReply::Blocked`]: step again when the call can
    /// finish (the same `OsCall` is made again).
    Os,
    /// A `threading.Lock`/`RLock`/`Event` of this process, held or unset by
    /// another thread: step again after another thread of this process ran.
    Lock,
}

/// An exception that ended a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncaught {
    /// `ValueError`, `socket.gaierror`, `SyntaxError`…
    pub kind: String,
    /// `str()` of the exception.
    pub message: String,
    /// The line of the statement the thread was on.
    pub line: u32,
    /// The process's exit status if this was the main thread (1; or the
    /// code of `SystemExit`).
    pub exit_code: i32,
}

/// A syntax error, with what CPython's report needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxErr {
    /// `SyntaxError`, `IndentationError` or `TabError`.
    pub kind: &'static str,
    pub msg: String,
    pub filename: String,
    pub line: u32,
    /// The source line.
    pub text: Option<String>,
    /// 1-based character offsets of the caret range.
    pub col: Option<u32>,
    pub end_col: Option<u32>,
}

/// A frame of a thread's stack, for the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    /// `<module>`, `handle_client`, `Server.run`
    pub name: String,
    pub line: u32,
}

/// One simulated process's Python: its threads, objects and modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interp {
    pub(crate) heap: Heap,
    pub(crate) threads: Vec<PyThread>,
    /// the thread being stepped
    pub(crate) cur: usize,
    pub(crate) main_module: Ix,
    pub(crate) modules: Vec<(Sym, Value)>,
    pub(crate) filename: Rc<str>,
    pub(crate) lines: Rc<Vec<String>>,
    pub(crate) syntax_error: Option<Box<SyntaxErr>>,
    pub(crate) argv: Vec<Rc<str>>,
    /// `Thread-N` names
    pub(crate) thread_counter: u32,
    /// threads whose StartThread the host accepted
    pub(crate) thread_started: Vec<u32>,
    /// warnings already shown (line, message)
    pub(crate) warned: Vec<(u32, Rc<str>)>,
    pub(crate) gc_threshold: u32,
    pub(crate) gc_pending: bool,
    /// depth of callbacks run by built-ins
    pub(crate) nested: u32,
    pub(crate) exit_code: Option<i32>,
    pub(crate) rng: u64,
    /// compile-time SyntaxWarnings, printed by the main thread's first step
    pub(crate) warnings: Vec<(u32, String)>,
    /// native work done in the current step (see `burn`)
    pub(crate) fuel: u64,
    /// the Rust stack's address when the current step began (0 between
    /// steps, so that clones compare equal)
    pub(crate) stack_base: usize,
    /// set when a generator resumed by a built-in returned (not yielded)
    pub(crate) gen_returned: bool,
    /// the children's copies made by this step's `fork()`s, in order,
    /// until the host takes them
    pub(crate) forked: Vec<Interp>,
    /// a child of `os.fork()` that has not yet returned from it: the call,
    /// made again, returns 0
    pub(crate) fork_child: bool,
    /// the process's main thread: 0, or in a `multiprocessing` child the
    /// thread that runs the target
    pub(crate) main_thread: usize,
    /// in a `multiprocessing` child: the Process's name (`Process-1`)
    pub(crate) process_name: Option<Rc<str>>,
    /// `Process-N` names
    pub(crate) process_counter: u32,
}

impl Interp {
    /// Compiles `source` (the file `filename`, e.g. `server.py`) and makes
    /// its main thread (thread 0), ready to step. A syntax error is
    /// reported by the main thread's first step, as CPython reports it.
    pub fn new(filename: &str, source: &str) -> Interp {
        Self::with_argv(filename, source, &[])
    }

    /// As [`Interp::new`], with `sys.argv` (its first item is the script
    /// name as typed, e.g. `server.py`, where `filename` may be a full path
    /// as CPython's tracebacks show it; empty: just `filename`).
    pub fn with_argv(filename: &str, source: &str, argv: &[&str]) -> Interp {
        let mut heap = Heap::default();
        for (name, _) in builtins::BUILTINS {
            heap.intern(name);
        }
        for name in builtins::EXTRA_NAMES {
            heap.intern(name);
        }
        let lines: Vec<String> = source
            .split('\n')
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect();
        let mut syntax_error = None;
        let mut warnings = Vec::new();
        let code = match parser::parse_module(source, filename) {
            Ok(body) => match compile::compile_module(&body, &mut heap, filename, source) {
                Ok((c, w)) => {
                    warnings = w;
                    Some(c)
                }
                Err(e) => {
                    syntax_error = Some(e);
                    None
                }
            },
            Err(e) => {
                syntax_error = Some(e);
                None
            }
        };
        let main_name = heap.intern("__main__");
        let _ = main_name;
        let file_sym = builtins::S_FILE;
        let module = Module {
            name: "__main__".into(),
            ns: vec![
                (builtins::S_NAME, Value::str("__main__")),
                (file_sym, Value::str(filename)),
                (builtins::S_DOC, Value::None),
            ],
        };
        let main_module = heap.alloc(Obj::Module(Box::new(module)));
        let mut frames = Vec::new();
        if let Some(code) = code {
            frames.push(Frame {
                code,
                ip: 0,
                stack: Vec::new(),
                fast: Vec::new(),
                cells: Vec::new(),
                globals: main_module,
                ns: None,
                blocks: Vec::new(),
                func: None,
                kind: FrameKind::Normal,
                stop: false,
            });
        }
        let main = PyThread {
            frames,
            exc_stack: Vec::new(),
            obj: None,
            boot: None,
            done: false,
            lib_frames: 0,
            line: 0,
            name: "MainThread".into(),
            interrupt: false,
            in_accept: false,
            pending_connect: None,
        };
        let mut argv: Vec<Rc<str>> = argv.iter().map(|a| Rc::from(*a)).collect();
        if argv.is_empty() {
            argv.push(filename.into());
        }
        heap.allocated = 0;
        Interp {
            heap,
            threads: vec![main],
            cur: 0,
            main_module,
            modules: Vec::new(),
            filename: filename.into(),
            lines: Rc::new(lines),
            syntax_error,
            argv,
            thread_counter: 0,
            thread_started: vec![0],
            warned: Vec::new(),
            gc_threshold: 4096,
            gc_pending: false,
            nested: 0,
            exit_code: None,
            rng: 0x5EED,
            warnings,
            fuel: 0,
            stack_base: 0,
            gen_returned: false,
            forked: Vec::new(),
            fork_child: false,
            main_thread: 0,
            process_name: None,
            process_counter: 0,
        }
    }

    /// The child's interpreter made by a `fork()` in the last step (see
    /// [`OsCall::Fork`]): the host takes each once, after that step, in the
    /// order of the forks.
    pub fn take_forked(&mut self) -> Option<Box<Interp>> {
        (!self.forked.is_empty()).then(|| Box::new(self.forked.remove(0)))
    }

    /// A copy of this interpreter for a forked child whose only thread is
    /// `keep` (POSIX: the child has one thread, the one that forked); the
    /// other threads' frames stay in its memory, never to run again.
    pub(crate) fn fork_copy(&mut self, keep: usize) -> Interp {
        // (copies made earlier in this step are not part of the child)
        let earlier = std::mem::take(&mut self.forked);
        let mut child = self.clone();
        self.forked = earlier;
        child.stack_base = 0;
        child.fuel = 0;
        child.nested = 0;
        child.main_thread = keep;
        child.cur = keep;
        for (i, t) in child.threads.iter_mut().enumerate() {
            if i != keep {
                t.done = true;
                t.boot = None;
            }
        }
        child.thread_started.retain(|&t| t as usize == keep);
        child
    }

    /// Runs one statement of `thread`. See [`Step`].
    pub fn step(&mut self, thread: ThreadIx, os: &mut dyn Os) -> Step {
        self.step_thread(thread as usize, os)
    }

    /// The syntax error that keeps the program from running, if any.
    pub fn syntax_error(&self) -> Option<&SyntaxErr> {
        self.syntax_error.as_deref()
    }

    /// How many threads exist (started or finished), the main one included.
    pub fn thread_count(&self) -> usize {
        self.threads.len()
    }

    /// `MainThread`, `Thread-1 (handle_client)`.
    pub fn thread_name(&self, thread: ThreadIx) -> Option<String> {
        let t = self.threads.get(thread as usize)?;
        if let Some(o) = &t.obj {
            if let Some(value::Native::Thread(th)) = self.heap.inst(o).map(|i| &i.native) {
                return Some(th.name.to_string());
            }
        }
        Some(t.name.to_string())
    }

    /// Whether a thread is a daemon (daemon threads end with the process).
    pub fn is_daemon(&self, thread: ThreadIx) -> bool {
        let Some(t) = self.threads.get(thread as usize) else {
            return false;
        };
        match t
            .obj
            .as_ref()
            .and_then(|o| self.heap.inst(o))
            .map(|i| &i.native)
        {
            Some(value::Native::Thread(th)) => th.daemon && !th.main,
            _ => false,
        }
    }

    /// Whether a thread has finished.
    pub fn is_done(&self, thread: ThreadIx) -> bool {
        self.threads.get(thread as usize).is_none_or(|t| t.done)
    }

    /// The line a thread will run next (or is blocked on).
    pub fn current_line(&self, thread: ThreadIx) -> Option<u32> {
        let t = self.threads.get(thread as usize)?;
        if t.done {
            return None;
        }
        let f = t.frames.last()?;
        match f.code.ops.get(f.ip as usize) {
            Some(compile::Op::Stmt(l)) => Some(*l),
            _ => Some(value::span_of(&f.code, f.ip).line),
        }
    }

    /// The frames of a thread, outermost first.
    pub fn frames(&self, thread: ThreadIx) -> Vec<FrameInfo> {
        let Some(t) = self.threads.get(thread as usize) else {
            return Vec::new();
        };
        let n = t.frames.len();
        t.frames
            .iter()
            .enumerate()
            .map(|(i, f)| {
                // a caller is at the call it made (its ip is past it)
                let ip = if i + 1 < n {
                    f.ip.saturating_sub(1)
                } else {
                    f.ip
                };
                let line = match f.code.ops.get(ip as usize) {
                    Some(compile::Op::Stmt(l)) => *l,
                    _ => value::span_of(&f.code, ip).line,
                };
                FrameInfo {
                    name: f.code.qualname.to_string(),
                    line,
                }
            })
            .collect()
    }

    /// The local variables of frame `frame` (0 = outermost) of a thread, as
    /// (name, repr) — the module's globals for a module frame. The reprs
    /// never run Python code (a class's own `__repr__` is not called).
    pub fn locals(&self, thread: ThreadIx, frame: usize) -> Vec<(String, String)> {
        let Some(f) = self
            .threads
            .get(thread as usize)
            .and_then(|t| t.frames.get(frame))
        else {
            return Vec::new();
        };
        if f.code.kind == compile::CodeKind::Module {
            return self.globals();
        }
        let mut out = Vec::new();
        if let Some(ns) = &f.ns {
            for (k, v) in ns {
                out.push((self.heap.name(*k).to_string(), self.safe_repr(v)));
            }
            return out;
        }
        for (i, name) in f.code.varnames.iter().enumerate() {
            if let Some(Some(v)) = f.fast.get(i) {
                out.push((self.heap.name(*name).to_string(), self.safe_repr(v)));
            }
        }
        let cellnames = f.code.cellvars.iter().chain(f.code.freevars.iter());
        for (name, cell) in cellnames.zip(f.cells.iter()) {
            if let Some(Obj::Cell(Some(v))) = self.heap.get(*cell) {
                out.push((self.heap.name(*name).to_string(), self.safe_repr(v)));
            }
        }
        out
    }

    /// The main module's global variables as (name, repr), without modules,
    /// functions, classes and dunder names.
    pub fn globals(&self) -> Vec<(String, String)> {
        let Some(Obj::Module(m)) = self.heap.get(self.main_module) else {
            return Vec::new();
        };
        m.ns.iter()
            .filter(|(k, v)| {
                let n = self.heap.name(*k);
                let hidden = match v {
                    Value::Ref(i) => matches!(
                        self.heap.get(*i),
                        Some(Obj::Module(_) | Obj::Func(_) | Obj::Class(_))
                    ),
                    Value::Builtin(_) | Value::Type(_) => true,
                    _ => false,
                };
                !n.starts_with("__") && !hidden
            })
            .map(|(k, v)| (self.heap.name(*k).to_string(), self.safe_repr(v)))
            .collect()
    }

    /// Ctrl-C: the next step of `thread` (the main thread, in CPython)
    /// raises `KeyboardInterrupt` where it is — a blocking call it waits in
    /// is abandoned, as a signal interrupts it. Uncaught, it prints
    /// CPython's traceback ending in `KeyboardInterrupt` and exits with 1.
    pub fn interrupt(&mut self, thread: ThreadIx) {
        if let Some(t) = self.threads.get_mut(thread as usize) {
            if !t.done {
                t.interrupt = true;
            }
        }
    }

    /// The exit status once the main thread has ended.
    pub fn exit_code(&self) -> Option<i32> {
        self.exit_code
    }
}
