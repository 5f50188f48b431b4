//! What a program asks of the kernel and what it gets back: each system
//! call ([`Call`]) with its arguments, its return value ([`Ret`]), its
//! errors ([`SysError`], Linux's errno), and why a call waits ([`BlockReason`]).

use super::*;

/// A system call (or Python call that waits) a program makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "kebab-case")]
pub enum Call {
    Socket,
    /// `setsockopt(level, option, value)`.
    Setsockopt {
        option: SockOption,
        on: bool,
    },
    /// `setblocking(flag)`: CPython sets or clears the fd's O_NONBLOCK
    /// flag (`ioctl(FIONBIO)`).
    SetBlocking {
        fd: Fd,
        blocking: bool,
    },
    Bind {
        port: u16,
    },
    Listen {
        backlog: u32,
    },
    Accept {
        fd: Fd,
    },
    Connect {
        fd: Fd,
        to: Endpoint,
    },
    /// `send(data)`, or `sendall(data)` when `all` (it returns None).
    Send {
        fd: Fd,
        len: usize,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        all: bool,
    },
    Recv {
        fd: Fd,
        max: usize,
    },
    Shutdown {
        fd: Fd,
    },
    /// `close(fd)`. `state` is the connection's state when the program
    /// gave the fd back (LISTEN for a listening socket, none for a socket
    /// never connected), `unread` the bytes left in its receive buffer.
    Close {
        fd: Fd,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state: Option<State>,
        #[serde(default, skip_serializing_if = "is_zero")]
        unread: usize,
        /// The PIDs of other processes that still hold an fd naming the
        /// same socket (a fork's copies): then close() only drops this
        /// process's fd, and the socket stays open.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        held_by: Vec<u32>,
    },
    Sleep {
        duration: Duration,
    },
    Input,
    /// `socket.gethostbyname(name)`: a name becomes an IPv4 address.
    GetHostByName {
        name: String,
    },
    /// The browser waits for the learner to type a URL.
    WaitForUrl,
    /// `Thread.join()`: waits for a thread to end.
    Join {
        thread: String,
    },
    /// `os.fork()` or `multiprocessing.Process.start()`: a child process,
    /// a copy of this one (its memory and its fd table).
    Fork {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// `Process.join()` / `os.waitpid()`: waits for child `pid` to end.
    Waitpid {
        pid: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// `lock.acquire()` (or `with lock:`) on a lock another thread holds.
    LockAcquire,
    /// `select.select(rlist, wlist, xlist)`, or a selector's `select()`
    /// (`epoll`): waits until one of the fds is ready for reading (`read`)
    /// or writing (`write`).
    Select {
        read: Vec<Fd>,
        write: Vec<Fd>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        epoll: bool,
    },
    /// `selectors.DefaultSelector()`: the kernel makes an epoll instance.
    EpollCreate,
    /// A selector's `register` / `modify` / `unregister`: the epoll
    /// instance's interest list gains, changes or loses `fd`.
    EpollCtl {
        op: EpollOp,
        fd: Fd,
        /// What it waits for on `fd` (none for `Del`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        read: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        write: bool,
    },
}

/// An fd a process gave back whose socket stays open: other processes
/// (`held_by`, their PIDs) still hold an fd naming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptFd {
    pub fd: Fd,
    pub held_by: Vec<u32>,
    /// A listening socket (which never sends FIN) rather than a connection.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub listening: bool,
}

/// What `epoll_ctl` does to an epoll instance's interest list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EpollOp {
    /// `register`: EPOLL_CTL_ADD.
    Add,
    /// `modify`: EPOLL_CTL_MOD.
    Mod,
    /// `unregister`: EPOLL_CTL_DEL.
    Del,
}

/// Why `select()` finds a socket ready: Linux's `tcp_poll` rules (a
/// socket is readable when a read would not block, writable when a write
/// would not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "kebab-case")]
pub enum Readiness {
    /// A listening socket with finished handshakes in its accept queue.
    Accept { queued: usize },
    /// Bytes wait in the receive buffer.
    Data { bytes: usize },
    /// The peer's FIN has come and the buffer is empty: `recv()` returns `b''`.
    Eof,
    /// The connection failed (reset, refused, timed out): the next call raises.
    Error { error: SysError },
    /// Not connected (never, or no longer): Linux reports a hang-up, and
    /// calls return at once.
    Hangup,
    /// The send buffer has room (Linux: free space at least half of what
    /// it holds, `sk_stream_is_writeable`).
    Room { free: usize, capacity: usize },
    /// This side shut down sending (`close`, `shutdown(SHUT_WR)`): `send()`
    /// fails at once.
    SendShut,
}

/// An fd `select()` found ready, and why: what a UI marks on the stage at
/// each `select` return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ready {
    pub fd: Fd,
    /// The connection's other end (none for a listening socket or one that
    /// never connected): which client the fd is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<Endpoint>,
    #[serde(flatten)]
    pub why: Readiness,
}

impl Call {
    /// The Python spelling, for narration: `recv()`.
    pub fn name(&self) -> &'static str {
        match self {
            Call::Socket => "socket()",
            Call::Setsockopt { .. } => "setsockopt()",
            Call::SetBlocking { .. } => "setblocking()",
            Call::Bind { .. } => "bind()",
            Call::Listen { .. } => "listen()",
            Call::Accept { .. } => "accept()",
            Call::Connect { .. } => "connect()",
            Call::Send { all: false, .. } => "send()",
            Call::Send { all: true, .. } => "sendall()",
            Call::Recv { .. } => "recv()",
            Call::Shutdown { .. } => "shutdown()",
            Call::Close { .. } => "close()",
            Call::Sleep { .. } => "time.sleep()",
            Call::Input => "input()",
            Call::WaitForUrl => "wait_for_learner()",
            Call::Join { .. } => "join()",
            Call::Fork { name: None } => "os.fork()",
            Call::Fork { name: Some(_) } => "p.start()",
            Call::Waitpid { name: None, .. } => "os.waitpid()",
            Call::Waitpid { name: Some(_), .. } => "p.join()",
            Call::LockAcquire => "lock.acquire()",
            Call::GetHostByName { .. } => "socket.gethostbyname()",
            Call::Select { epoll: false, .. } => "select.select()",
            Call::Select { epoll: true, .. } => "sel.select()",
            Call::EpollCreate => "selectors.DefaultSelector()",
            Call::EpollCtl {
                op: EpollOp::Add, ..
            } => "sel.register()",
            Call::EpollCtl {
                op: EpollOp::Mod, ..
            } => "sel.modify()",
            Call::EpollCtl {
                op: EpollOp::Del, ..
            } => "sel.unregister()",
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What holds a port a `bind()` wanted (Linux's `inet_bind_conflict`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum PortHolder {
    /// A listening socket: nobody else may bind its port.
    Listener,
    /// A socket bound to it, not listening yet.
    Bound,
    /// A connection on the port, in `state`, with `peer`; `reuse_addr` is
    /// the option it has (inherited from its listener); in TIME-WAIT,
    /// `time_wait_left` is how long it still lasts.
    Connection {
        state: State,
        peer: Endpoint,
        reuse_addr: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_wait_left: Option<Duration>,
    },
}

/// The socket options a program sets (the ones this model knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SockOption {
    /// SOL_SOCKET, SO_REUSEADDR.
    ReuseAddr,
    /// IPPROTO_TCP, TCP_NODELAY.
    NoDelay,
    /// Any other: accepted, and it changes nothing here.
    Other { level: i32, option: i32 },
}

/// How the bytes one `recv()` returned relate to the peer's `send()` calls.
/// TCP carries no such boundaries; the simulation follows them beside the
/// bytes so the narration can show that they are not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecvShape {
    /// Bytes in the receive buffer when recv() looked.
    pub waiting: usize,
    /// How many of the peer's send() calls end inside what was returned.
    pub ends: u32,
    /// The returned bytes begin where a send() began.
    pub from_start: bool,
    /// The returned bytes end where a send() ended.
    pub to_end: bool,
}

/// What a call returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "ret", rename_all = "kebab-case")]
pub enum Ret {
    Fd {
        fd: Fd,
    },
    Done,
    Accepted {
        fd: Fd,
        peer: Endpoint,
    },
    Connected {
        local: Endpoint,
    },
    Sent {
        n: usize,
    },
    Received {
        data: Vec<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shape: Option<RecvShape>,
    },
    /// What the learner told a waiting program to do.
    Command {
        command: Command,
    },
    /// `input()`'s line (without its newline).
    Line {
        text: String,
    },
    /// `gethostbyname()`'s answer.
    Resolved {
        ip: Ipv4Addr,
    },
    /// `select()`: the fds ready for reading and for writing (empty when
    /// the timeout passed first).
    Selected {
        read: Vec<Ready>,
        write: Vec<Ready>,
    },
    /// `fork()` in the parent: the child's PID.
    Forked {
        pid: u32,
    },
    /// `waitpid()` / `Process.join()`: child `pid` has ended with `code`
    /// and the parent has reaped it.
    Reaped {
        pid: u32,
        code: i32,
    },
    Error {
        error: SysError,
    },
}

/// The errors Python would raise from a call: Linux's errno, and the
/// exception class CPython raises for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SysError {
    /// `ConnectionResetError`: the peer sent RST on a connection.
    ConnectionReset,
    /// `ConnectionRefusedError`: the SYN was answered with RST (nothing
    /// listens on that port).
    ConnectionRefused,
    /// `TimeoutError`: the SYN was never answered.
    TimedOut,
    /// `BrokenPipeError`: send after the connection is gone.
    BrokenPipe,
    /// `OSError` EBADF: no such file descriptor.
    BadFd,
    /// `OSError` EADDRINUSE: another socket holds the port.
    AddrInUse,
    /// `OSError` EADDRNOTAVAIL: not an address of this host.
    AddrNotAvail,
    /// `OSError` ENOTCONN: the socket is not connected.
    NotConnected,
    /// `OSError` EISCONN: `connect()` on a connected (or listening) socket.
    AlreadyConnected,
    /// `OSError` EINVAL: e.g. `accept()` on a socket that is not listening.
    InvalidArgument,
    /// `BlockingIOError` EAGAIN: a non-blocking socket would block.
    WouldBlock,
    /// `BlockingIOError` EINPROGRESS: `connect()` on a non-blocking socket
    /// sent the SYN; the handshake goes on without the program.
    InProgress,
    /// `BlockingIOError` EALREADY: `connect()` again while the handshake
    /// of an earlier non-blocking one is still going.
    Already,
    /// `FileNotFoundError` ENOENT.
    NoSuchFile,
    /// `ChildProcessError` ECHILD: `waitpid` for a process that is not
    /// (or no longer) a child of the caller.
    NoChild,
    /// `TimeoutError('timed out')`: the socket's `settimeout` expired.
    SocketTimeout,
}

impl SysError {
    /// Linux's errno (0 for the socket timeout, which has none).
    pub fn errno(self) -> i32 {
        match self {
            SysError::ConnectionReset => 104,
            SysError::ConnectionRefused => 111,
            SysError::TimedOut => 110,
            SysError::BrokenPipe => 32,
            SysError::BadFd => 9,
            SysError::AddrInUse => 98,
            SysError::AddrNotAvail => 99,
            SysError::NotConnected => 107,
            SysError::AlreadyConnected => 106,
            SysError::InvalidArgument => 22,
            SysError::WouldBlock => 11,
            SysError::InProgress => 115,
            SysError::Already => 114,
            SysError::NoSuchFile => 2,
            SysError::NoChild => 10,
            SysError::SocketTimeout => 0,
        }
    }

    /// Python's exception text.
    pub fn python(self) -> String {
        if self == SysError::SocketTimeout {
            return "TimeoutError: timed out".into();
        }
        let class = match self {
            SysError::ConnectionReset => "ConnectionResetError",
            SysError::ConnectionRefused => "ConnectionRefusedError",
            SysError::TimedOut => "TimeoutError",
            SysError::BrokenPipe => "BrokenPipeError",
            SysError::WouldBlock | SysError::InProgress | SysError::Already => "BlockingIOError",
            SysError::NoSuchFile => "FileNotFoundError",
            SysError::NoChild => "ChildProcessError",
            _ => "OSError",
        };
        let n = self.errno();
        format!("{class}: [Errno {n}] {}", crate::sim::python::strerror(n))
    }
}

/// Why a call blocked the thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "kebab-case")]
pub enum BlockReason {
    /// `accept()`: the accept queue is empty.
    AcceptQueueEmpty,
    /// `connect()`: the three-way handshake is not done.
    Handshake,
    /// `send()`: the send buffer is full; `copied` of `total` bytes are in.
    SendBufferFull { copied: usize, total: usize },
    /// `recv()`: the receive buffer is empty and no FIN came.
    RecvBufferEmpty,
    /// `time.sleep()`.
    Sleeping { until: Instant },
    /// `socket.gethostbyname()`: waiting for the (mock) DNS answer.
    DnsAnswer { until: Instant },
    /// The interactive client waits for the learner.
    Learner,
    /// `join()`: the thread has not ended yet.
    ThreadRunning { until: Option<Instant> },
    /// A `threading.Lock` held by another thread of the process.
    LockHeld,
    /// `Process.join()` / `waitpid()`: the child process has not ended yet.
    ChildRunning { pid: u32 },
    /// `select()`: none of its fds is ready; a timeout ends the wait at
    /// `until`.
    Select { until: Option<Instant> },
}
