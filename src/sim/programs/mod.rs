//! What a thread runs.
//!
//! Most programs are Python, run by the interpreter ([`crate::sim::python`])
//! one statement per step. The `http` lesson's mock browser is a built-in
//! program written as a step machine (its text in [`source`] is what the
//! code panel shows), and so, until the interpreter has the `httpmsg`
//! module, is its web server ([`http`]). A step machine runs one statement
//! per step; a blocked syscall leaves it where it is, and when the kernel
//! wakes the thread the same step runs again.

pub(crate) mod http;
pub mod source;
mod texts;

pub use crate::sim::lessons::code::ClientKind;
pub use source::ProgramSource;

use crate::sim::event::{Fd, SysError, ThreadEnd, ThreadId};
use crate::sim::world::World;
use http::{Browser, WebHandler, WebMain};

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
    /// The `http` lesson's web server: main thread and per-connection threads.
    WebMain(WebMain),
    WebHandler(Box<WebHandler>),
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
            Program::WebMain(p) => p.step(w, tid),
            Program::WebHandler(p) => p.step(w, tid),
            Program::Browser(p) => p.step(w, tid),
            Program::Taken => Flow::Exit(ThreadEnd::Returned),
        }
    }

    /// The socket only this thread's function holds (a handler's `conn`, a
    /// local variable). When the thread dies of an uncaught exception, CPython
    /// frees its frame and the socket object with it, which closes the fd.
    /// (Python threads do this themselves: the interpreter collects the
    /// frame's socket objects.)
    pub(crate) fn local_socket(&self) -> Option<Fd> {
        match self {
            Program::WebHandler(h) => Some(h.conn()),
            _ => None,
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
