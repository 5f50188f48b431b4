//! The interpreter as the world sees it, and how the world gets one.
//!
//! The world does few things with a process's interpreter: it steps a
//! thread ([`Engine::step`]), takes the copies a `fork()` made, reads the
//! exit code, copies the whole process (a snapshot of the run) and compares
//! two copies; the code panel asks for a program's syntax error. That is
//! [`Engine`]; nothing else of the interpreter is reachable from outside it.
//!
//! It makes one with the function [`loaded`] returns. Natively, and in every
//! browser build but the split one, that is always there. The browser's
//! release build (feature `split`) keeps the interpreter, over a third of
//! its code, in a second WebAssembly module that the page fetches after the
//! first screen is drawn ([`load`]): until it has arrived, `loaded()` is
//! `None`, and the app replays no run (a learner's click waits for it).
//! The split is made at the one function, `starter`, that names the
//! interpreter: its vtable and everything the interpreter calls are
//! reachable only through it.

use super::{Interp, Os, Step, SyntaxErr, ThreadIx};
use std::any::Any;
use std::fmt;

/// A process's interpreter, behind the operations the world needs.
///
/// Invariant: a copy ([`Engine::clone_box`]) steps exactly as the original
/// would, and compares equal to it ([`Engine::same`]) until one of them steps.
pub trait Engine: fmt::Debug {
    /// Runs one statement of `thread`. See [`Step`].
    fn step(&mut self, thread: ThreadIx, os: &mut dyn Os) -> Step;
    /// The child's interpreter made by a `fork()` in the last step.
    fn take_forked(&mut self) -> Option<Box<dyn Engine>>;
    /// The status `sys.exit()` set, if it was called.
    fn exit_code(&self) -> Option<i32>;
    /// The syntax error that keeps the program from running, if any.
    fn syntax_error(&self) -> Option<&SyntaxErr>;
    fn clone_box(&self) -> Box<dyn Engine>;
    /// Equal to `other` (two snapshots of one run compare equal).
    fn same(&self, other: &dyn Engine) -> bool;
    fn as_any(&self) -> &dyn Any;
}

impl Engine for Interp {
    fn step(&mut self, thread: ThreadIx, os: &mut dyn Os) -> Step {
        Interp::step(self, thread, os)
    }
    fn take_forked(&mut self) -> Option<Box<dyn Engine>> {
        Interp::take_forked(self).map(|b| b as Box<dyn Engine>)
    }
    fn exit_code(&self) -> Option<i32> {
        Interp::exit_code(self)
    }
    fn syntax_error(&self) -> Option<&SyntaxErr> {
        Interp::syntax_error(self)
    }
    fn clone_box(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
    fn same(&self, other: &dyn Engine) -> bool {
        other.as_any().downcast_ref::<Interp>() == Some(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Clone for Box<dyn Engine> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

impl PartialEq for dyn Engine {
    fn eq(&self, other: &Self) -> bool {
        self.same(other)
    }
}

impl Eq for dyn Engine {}

/// Makes an interpreter: the file name its tracebacks show, its source and
/// `sys.argv` (see [`Interp::with_argv`]).
pub type Start = fn(filename: &str, source: &str, argv: &[&str]) -> Box<dyn Engine>;

fn start(filename: &str, source: &str, argv: &[&str]) -> Box<dyn Engine> {
    Box::new(Interp::with_argv(filename, source, argv))
}

/// The interpreter could not be fetched (the network failed, or the page's
/// files are from another build).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError;

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the Python interpreter's module could not be loaded")
    }
}

#[cfg(not(all(target_family = "wasm", feature = "split")))]
mod linked {
    use super::{start, LoadError, Start};

    /// The interpreter, linked in: always there.
    pub fn loaded() -> Option<Start> {
        Some(start)
    }

    /// Nothing to fetch.
    pub async fn load() -> Result<(), LoadError> {
        Ok(())
    }
}

#[cfg(all(target_family = "wasm", feature = "split"))]
mod linked {
    use super::{start, LoadError, Start};
    use std::sync::OnceLock;
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static STARTER: OnceLock<Start> = OnceLock::new();

    /// The split point: the one function that names the interpreter.
    #[wasm_split(python, fallible)]
    fn starter() -> Result<Start, SplitLoaderError> {
        Ok(start)
    }

    /// The interpreter, once [`load`] has fetched it.
    pub fn loaded() -> Option<Start> {
        STARTER.get().copied()
    }

    /// Fetches and instantiates the interpreter's module (once; a failed
    /// attempt is tried again by the next call).
    pub async fn load() -> Result<(), LoadError> {
        if STARTER.get().is_none() {
            let start = starter().await.map_err(|_| LoadError)?;
            let _ = STARTER.set(start);
        }
        Ok(())
    }
}

pub use linked::{load, loaded};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::python::test_os::TestOs;

    #[test]
    fn a_copy_steps_as_the_original_and_compares_equal_until_one_steps() {
        let start = loaded().expect("linked natively");
        let mut a = start("t.py", "x = 1\nprint(x + 1)\n", &[]);
        let mut b = a.clone();
        assert!(*a == *b);
        let (mut os_a, mut os_b) = (TestOs::new(), TestOs::new());
        assert_eq!(a.step(0, &mut os_a), b.step(0, &mut os_b));
        assert!(*a == *b);
        a.step(0, &mut os_a);
        assert!(*a != *b, "a stepped, b did not");
        b.step(0, &mut os_b);
        assert!(*a == *b);
        assert_eq!(os_a.stdout, "2\n");
        assert_eq!(os_a.stdout, os_b.stdout);
    }

    #[test]
    fn a_syntax_error_is_reported_through_the_engine() {
        let start = loaded().expect("linked natively");
        let py = start("bad.py", "def f(:\n", &[]);
        let e = py.syntax_error().expect("a syntax error");
        assert_eq!((e.line, e.kind), (1, "SyntaxError"));
        assert!(start("ok.py", "pass\n", &[]).syntax_error().is_none());
    }
}
