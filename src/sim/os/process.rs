//! The processes of a host: each has a PID, its parent's PID, its own
//! Python interpreter (a forked child's is a copy of its parent's) and its
//! own fd table (in the [`Kernel`](super::Kernel), by the process's slot).
//! A host starts with one process; `os.fork()` and
//! `multiprocessing.Process.start()` add more.

use crate::sim::ids::ThreadId;
use crate::sim::time::Instant;
use std::collections::VecDeque;

/// The PID of a host's first process: 1000 + 100 × the host's number (the
/// server's is 1000, client-1's 1100); its children count on from there.
pub fn first_pid(host: u8) -> u32 {
    1000 + 100 * u32::from(host)
}

/// One process of a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    /// The parent's PID (a shell's, 1, for the host's first process).
    pub ppid: u32,
    /// `multiprocessing`'s name for it (`Process-1`), if it made it.
    pub name: Option<String>,
    pub alive: bool,
    /// Its exit status, once it has ended (a killed process: −signal).
    pub exit_code: Option<i32>,
    /// Made by `multiprocessing.Process`: whether it is daemonic (ended
    /// when its parent exits) or not (its parent waits for it at exit).
    /// `None` for a plain `os.fork()` child or the first process.
    pub daemon: Option<bool>,
    /// Its parent has collected its exit code (`waitpid`): it is gone, no
    /// longer a zombie, and cannot be waited for again.
    pub reaped: bool,
    /// Its Python interpreter (taken out while a thread of it runs).
    pub(crate) python: Option<Box<dyn crate::sim::python::engine::Engine>>,
    /// The program its interpreter will compile and run, until the first
    /// step of its main thread makes the interpreter. Compiling then
    /// rather than when the lesson is set up keeps opening a lesson quick
    /// (the interpreter is the same either way: it depends on nothing
    /// but the program and its arguments).
    pub(crate) python_to_start: Option<Box<PythonStart>>,
    /// The world's thread for each of the interpreter's threads.
    pub(crate) py_threads: Vec<ThreadId>,
    /// The Python thread that holds the interpreter (CPython's GIL), since when.
    pub(crate) gil: Option<ThreadId>,
    pub(crate) gil_since: Instant,
    /// Threads ready to run, waiting for the GIL, in order.
    pub(crate) gil_queue: VecDeque<ThreadId>,
}

/// A program waiting for its first step: the file name its tracebacks
/// show, its source and `sys.argv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PythonStart {
    pub file: String,
    pub source: String,
    pub argv: Vec<String>,
}

impl Process {
    pub fn new(pid: u32, ppid: u32) -> Process {
        Process {
            pid,
            ppid,
            name: None,
            alive: true,
            exit_code: None,
            daemon: None,
            reaped: false,
            python: None,
            python_to_start: None,
            py_threads: Vec::new(),
            gil: None,
            gil_since: Instant::ZERO,
            gil_queue: VecDeque::new(),
        }
    }
}
