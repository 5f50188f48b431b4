//! What a thread runs.
//!
//! Every program is Python, run by the interpreter ([`crate::sim::python`])
//! one statement per step, except the `http` lesson's mock browser: a
//! built-in program written as a step machine (`http`; its text in
//! [`source`] is what the code panel shows). A step machine runs one
//! statement per step; a blocked syscall leaves it where it is, and when the
//! kernel wakes the thread the same step runs again.

pub(crate) mod http;
pub mod source;
mod texts;

pub use crate::sim::lessons::code::ClientKind;
pub use source::ProgramSource;

use crate::sim::event::{SysError, ThreadEnd, ThreadId};
use crate::sim::world::World;
use http::Browser;

/// What a step asks of the scheduler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Run the next step after a little CPU time.
    Next,
    /// The thread is blocked (the world recorded on what).
    Blocked,
    /// The thread's function ended.
    Exit(ThreadEnd),
}

/// A running program (one per thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Program {
    /// Thread `n` of its host's Python interpreter.
    Python(u32),
    /// The `http` lesson's browser.
    Browser(Box<Browser>),
    /// Placeholder while a program is taken out to run.
    Taken,
}

impl Program {
    /// Runs one statement of a step machine.
    pub(crate) fn step(&mut self, w: &mut World, tid: ThreadId) -> Flow {
        match self {
            Program::Python(ix) => w.run_python(tid, *ix),
            Program::Browser(p) => p.step(w, tid),
            Program::Taken => Flow::Exit(ThreadEnd::Returned),
        }
    }
}

impl World {
    /// A Python exception nobody catches in a step machine: the thread
    /// prints a traceback (shortened) to the terminal and dies.
    pub(crate) fn uncaught(&mut self, tid: ThreadId, error: SysError) -> Flow {
        let t = self.thread(tid);
        let (name, main, line) = (t.name.clone(), t.main, t.line.unwrap_or(0));
        // Python prints a bare traceback for the main thread, and names any other.
        let head = if main {
            "Traceback (most recent call last):".to_string()
        } else {
            format!("Exception in thread {name}:")
        };
        self.print(tid, line, head);
        let text = error.python();
        self.print(tid, line, text.clone());
        let (kind, message) = match text.split_once(": ") {
            Some((k, m)) => (k.to_string(), m.to_string()),
            None => (text, String::new()),
        };
        Flow::Exit(ThreadEnd::Exception { kind, message })
    }
}
