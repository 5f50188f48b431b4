//! The host interface: every effect a program has on the world outside the
//! interpreter is an [`OsCall`] made through the [`Os`] trait.
//!
//! # Blocking
//!
//! A call that cannot finish yet is answered [`OsReply::Blocked`]. The
//! interpreter then leaves the thread exactly at that call (instruction
//! pointer and value stack unchanged) and [`Interp::step`](super::Interp::step)
//! returns [`Step::Blocked`](super::Step::Blocked). When the host steps the
//! thread again, the very same `OsCall`, with the same arguments, is made
//! again; the host answers `Done` once it can. A host therefore keeps, per
//! thread, what that thread waits for (a sleep's deadline, a recv on an fd)
//! and recognises the repeated call. A call answered `Done` is not repeated:
//! the next call the thread makes is a new one, even if it looks the same.

/// An interpreter thread, numbered from 0 (the main thread) in the order
/// threads are started.
pub type ThreadIx = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a program asks of the simulated OS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsCall {
    /// `print` (its whole formatted text, `end` included), `sys.stdout.write`,
    /// warnings and tracebacks (stderr). Never blocks.
    Write {
        stream: Stream,
        text: String,
    },
    /// `input(prompt)`: the host shows the prompt (once, though a Blocked
    /// call is made again) and answers the typed line
    /// (without its newline) as `OsValue::Str`, or `OsErr::Eof`.
    Input {
        prompt: String,
    },
    /// `time.sleep`: Blocked until the time has passed, then Done.
    Sleep {
        micros: u64,
    },
    /// `time.time()` / `time.monotonic()`: the simulated clock, `OsValue::Int` microseconds.
    Monotonic,
    /// `Thread.start()`: the interpreter has created thread `thread`; the host
    /// schedules it (stepping it with `Interp::step(thread, …)`).
    StartThread {
        thread: ThreadIx,
        name: String,
        daemon: bool,
    },
    /// `Thread.join(timeout)`: Done once `thread` has exited (or the timeout,
    /// in microseconds, has passed). Not made when the thread already ended.
    Join {
        thread: ThreadIx,
        timeout: Option<u64>,
    },
    /// `socket.socket(family, type)` → `OsValue::Int(fd)`
    Socket {
        family: i32,
        kind: i32,
    },
    Setsockopt {
        fd: i32,
        level: i32,
        opt: i32,
        value: i64,
    },
    Bind {
        fd: i32,
        host: String,
        port: u16,
    },
    Listen {
        fd: i32,
        backlog: i32,
    },
    /// → `OsValue::Accepted { fd, host, port }`
    Accept {
        fd: i32,
    },
    Connect {
        fd: i32,
        host: String,
        port: u16,
    },
    /// → `OsValue::Int(bytes sent)`
    Send {
        fd: i32,
        data: Vec<u8>,
    },
    /// Done when all of `data` is in the send buffer.
    Sendall {
        fd: i32,
        data: Vec<u8>,
    },
    /// → `OsValue::Bytes` (empty at end of stream)
    Recv {
        fd: i32,
        max: usize,
    },
    Shutdown {
        fd: i32,
        how: i32,
    },
    Close {
        fd: i32,
    },
    /// → `OsValue::Addr(host, port)`
    Getpeername {
        fd: i32,
    },
    /// → `OsValue::Addr(host, port)`
    Getsockname {
        fd: i32,
    },
    /// `settimeout(None | seconds)` in microseconds: later blocking calls on
    /// `fd` fail with `OsErr::Timeout` when it expires.
    Settimeout {
        fd: i32,
        timeout: Option<u64>,
    },
    Setblocking {
        fd: i32,
        blocking: bool,
    },
    /// → `OsValue::Str(ip)`
    GetHostByName {
        name: String,
    },
    /// `open(path, mode)` for reading: → `OsValue::Bytes` (the whole file)
    Open {
        path: String,
        mode: String,
    },
    /// → `OsValue::Int`
    Getpid,
    /// `os.getppid()` → `OsValue::Int`
    Getppid,
    /// `os.fork()` (`name` None) or `multiprocessing.Process.start()`: the
    /// host makes a child process whose first thread runs interpreter
    /// thread `thread` of a copy of this interpreter, which it takes with
    /// [`Interp::take_forked`](super::Interp::take_forked) once the step is
    /// over. → `OsValue::Int(child's pid)`. Never blocks.
    Fork {
        thread: ThreadIx,
        name: Option<String>,
        daemon: Option<bool>,
    },
    /// `os.waitpid(pid, 0)` / `Process.join()` (`block`), or a look
    /// without waiting (`os.WNOHANG`, `Process.is_alive()`): → the child's
    /// exit code as `OsValue::Int` once it has ended, `OsValue::None` while
    /// it runs (not blocking). ECHILD for a pid that is not a child.
    Waitpid {
        pid: i64,
        block: bool,
        name: Option<String>,
    },
    /// `os._exit(code)`: the process ends now.
    Exit {
        code: i32,
    },
    /// `httpmsg.MemoryFiles(names)`: the host's files of those names (paths
    /// relative to the site's root), → `OsValue::Files` with the ones that
    /// exist. Never blocks.
    ReadSite {
        names: Vec<String>,
    },
    /// What an `httpmsg` function did with an HTTP message, for the host's
    /// log (the narration, the Network panel). Never blocks; → `None`.
    HttpNote(crate::sim::event::HttpNote),
    /// `select.select(rlist, wlist, xlist, timeout)`, or a selector's
    /// `select(timeout)` (`epoll`): → `OsValue::Ready` with the fds of
    /// `read` ready for reading and of `write` ready for writing (each
    /// once). Blocked until one is, or until `timeout` (microseconds; zero
    /// only looks, `None` waits for ever), then Done with nothing ready.
    /// An fd that is not open fails with EBADF.
    Select {
        read: Vec<i32>,
        write: Vec<i32>,
        timeout: Option<u64>,
        epoll: bool,
    },
    /// `selectors.DefaultSelector()`: an epoll instance, → `OsValue::Int(fd)`.
    EpollCreate,
    /// A selector's `register`/`modify`/`unregister` (`epoll_ctl`):
    /// the host checks that both fds are open (EBADF). `read`/`write`: what
    /// `fd` is watched for. Never blocks; → `None`.
    EpollCtl {
        epfd: i32,
        op: crate::sim::event::EpollOp,
        fd: i32,
        read: bool,
        write: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsValue {
    None,
    Int(i64),
    Bytes(Vec<u8>),
    Str(String),
    Addr(String, u16),
    Accepted {
        fd: i32,
        host: String,
        port: u16,
    },
    /// (name, content) of each file found.
    Files(Vec<(String, Vec<u8>)>),
    /// `select`'s answer: the fds ready for reading, and for writing.
    Ready {
        read: Vec<i32>,
        write: Vec<i32>,
    },
}

/// Why a call failed. Errno values are Linux's; the interpreter raises the
/// exception class CPython raises for it (`ConnectionResetError` for 104…)
/// with the message `[Errno 104] Connection reset by peer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsErr {
    Errno(i32),
    /// An errno with a message of the host's own.
    ErrnoMsg(i32, String),
    /// A socket timeout: `TimeoutError('timed out')` (alias `socket.timeout`).
    Timeout,
    /// `socket.gaierror`: e.g. -2, "Name or service not known".
    Gai(i32, String),
    /// End of input (for `input()`): `EOFError`.
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsReply {
    Done(OsValue),
    Blocked,
    Failed(OsErr),
}

/// The simulated operating system, as one process's interpreter sees it.
pub trait Os {
    /// A call made by thread `thread` while on source line `line`.
    fn call(&mut self, thread: ThreadIx, line: u32, call: OsCall) -> OsReply;
}

/// Linux's `strerror` for the errnos a socket program meets.
pub fn strerror(errno: i32) -> &'static str {
    match errno {
        1 => "Operation not permitted",
        2 => "No such file or directory",
        4 => "Interrupted system call",
        9 => "Bad file descriptor",
        10 => "No child processes",
        38 => "Function not implemented",
        11 => "Resource temporarily unavailable",
        13 => "Permission denied",
        17 => "File exists",
        20 => "Not a directory",
        21 => "Is a directory",
        22 => "Invalid argument",
        24 => "Too many open files",
        32 => "Broken pipe",
        88 => "Socket operation on non-socket",
        95 => "Operation not supported",
        97 => "Address family not supported by protocol",
        98 => "Address already in use",
        99 => "Cannot assign requested address",
        100 => "Network is down",
        101 => "Network is unreachable",
        103 => "Software caused connection abort",
        104 => "Connection reset by peer",
        105 => "No buffer space available",
        106 => "Transport endpoint is already connected",
        107 => "Transport endpoint is not connected",
        110 => "Connection timed out",
        111 => "Connection refused",
        113 => "No route to host",
        114 => "Operation already in progress",
        115 => "Operation now in progress",
        _ => "Unknown error",
    }
}
