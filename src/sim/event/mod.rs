//! Everything that happens in the simulation is an [`Event`].
//!
//! The UI draws from them, the narration line reads them, tests snapshot them,
//! and the pcap export takes the wire from them. An event says when it
//! happened, which host, thread and socket it concerns, the Python source line
//! (for syscalls), and a [`EventKind`] with the data a narration needs. What
//! an event says in words is in `narrate`.

mod call;
mod narrate;
pub use call::*;
pub use narrate::actor;

pub use super::ids::{Fd, HostId, SockId, ThreadId};
pub use crate::text::{Lang, Text};

use super::net::segment::{Endpoint, Segment};
use super::os::thread::Command;
use super::tcp::State;
use super::time::{Duration, Instant};
use super::Action;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// A segment's numbers relative to the connection's initial sequence
/// numbers: the SYN is 0, the first data byte 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relative {
    pub seq: u32,
    pub ack: u32,
}

/// Which of a socket's two buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BufferSide {
    Send,
    Recv,
}

/// Why a buffer changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BufferCause {
    /// `send()` copied bytes in.
    AppSend,
    /// An ACK arrived: the peer has these bytes, the copy can go.
    Acked,
    /// A segment's payload was stored.
    Arrived,
    /// `recv()` took bytes out.
    AppRecv,
    /// The learner changed the capacity.
    Resized,
}

/// Why the kernel sent a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SendReason {
    Syn,
    SynRetransmit,
    SynAck,
    /// A SYN-ACK whose sequence number is a SYN cookie: the SYN queue was
    /// full, and the kernel keeps nothing of this handshake.
    SynCookie,
    /// The SYN-ACK again: the handshake's last ACK did not come.
    SynAckRetransmit,
    /// The oldest unacknowledged segment again: the retransmission timer
    /// expired.
    Retransmit,
    /// The oldest unacknowledged segment again: three duplicate ACKs (or a
    /// partial ACK in recovery) said it was lost.
    FastRetransmit,
    Data,
    /// The last data segment, with the FIN set on it.
    DataFin,
    Ack,
    WindowUpdate,
    ZeroWindowProbe,
    /// Data the persist timer sent: the peer's window was open but smaller
    /// than a segment, and Linux fills such a window only when this timer
    /// fires (`tcp_write_wakeup`).
    PersistData,
    Fin,
    Rst,
}

/// Why the congestion window changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CongestionCause {
    /// New data was acknowledged.
    Acked,
    /// The third duplicate ACK: fast retransmit, fast recovery.
    FastRetransmit,
    /// Another duplicate ACK during recovery.
    DupAck,
    /// A partial ACK during recovery: another segment was lost.
    PartialAck,
    /// Everything sent before the loss is acknowledged: recovery is over.
    RecoveryDone,
    /// The retransmission timer expired.
    Timeout,
}

/// Why a segment was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// A SYN reached a listening socket whose accept queue is full
    /// (backlog + 1 connections wait for `accept()`).
    BacklogFull,
    /// A SYN reached a listening socket whose SYN queue is full (more
    /// half-open connections than the backlog) and SYN cookies are off.
    SynQueueFull,
    /// The handshake's last ACK came while the accept queue was full.
    AcceptQueueFull,
    /// A segment carrying a valid SYN cookie came while the accept queue
    /// was full: no connection is made (and none was kept).
    CookieAcceptQueueFull,
    /// No socket has this address and port.
    NoSocket,
    /// A SYN came for a port that no socket listens on: the kernel answers
    /// RST, and the peer's `connect()` raises `ConnectionRefusedError`.
    /// `listening` is the lowest port this host does listen on, if any: a
    /// learner's server may listen on another port than its clients use.
    NoListener { listening: Option<u16> },
    /// Payload beyond the advertised window (a zero-window probe, say).
    OutsideWindow,
    /// A segment without data outside the window (a zero-window probe)
    /// within 500 ms of the last one answered: Linux answers such segments
    /// at most that often (`net.ipv4.tcp_invalid_ratelimit`), so this one
    /// gets no ACK.
    AnswerRateLimited,
    /// The network lost it (the loss rate, or the lesson's lossy network).
    Lost,
    /// The learner clicked it away.
    DroppedByLearner,
}

/// Which TCP timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimerKind {
    /// No SYN-ACK came: send the SYN again.
    SynRetransmit,
    /// The peer's window is zero: probe it.
    Persist,
    /// TIME-WAIT is over (2 MSL): forget the connection.
    TimeWait,
    /// No reply carried the owed ACK in time: it goes alone.
    DelayedAck,
    /// Sent data (or FIN) was not acknowledged within RTO: resend it.
    Retransmit,
    /// The handshake's last ACK did not come: send the SYN-ACK again.
    SynAckRetransmit,
}

impl TimerKind {
    pub const ALL: [TimerKind; 6] = [
        TimerKind::SynRetransmit,
        TimerKind::Persist,
        TimerKind::TimeWait,
        TimerKind::DelayedAck,
        TimerKind::Retransmit,
        TimerKind::SynAckRetransmit,
    ];
}

/// How a thread ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "kebab-case")]
pub enum ThreadEnd {
    /// Its function returned.
    Returned,
    /// A daemon thread, stopped because its process ended.
    Killed,
    /// Stopped because the learner ended its process (removed the client).
    Terminated,
    /// An uncaught exception (its traceback is on the console).
    Exception { kind: String, message: String },
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EventKind {
    /// A program entered a call.
    Call { call: Call },
    /// The call cannot finish yet: the thread sleeps until the kernel wakes it.
    Blocked { call: Call, reason: BlockReason },
    /// The call finished.
    Return { call: Call, ret: Ret },
    /// A TCP state transition (every one goes through `set_state`).
    State { from: State, to: State },
    /// A listening socket put a half-open connection in its SYN queue.
    SynQueued {
        peer: Endpoint,
        syn_queue: usize,
        backlog: u32,
    },
    /// An ACK to a listening socket acknowledged a valid SYN cookie: the
    /// kernel rebuilds the connection from it (it goes to the accept queue).
    SynCookieValid { peer: Endpoint },
    /// The handshake finished: the connection moved to the accept queue.
    AcceptQueued {
        peer: Endpoint,
        accept_queue: usize,
        backlog: u32,
    },
    /// A TCP timer fired.
    Timer { timer: TimerKind },
    /// The same ACK again, with nothing new: the peer received something
    /// out of order. `count` in a row.
    DuplicateAck {
        ack: super::net::segment::SeqNumber,
        count: u32,
    },
    /// Bytes arrived ahead of a gap and are held, not readable yet.
    OutOfOrder { held: usize, added: usize },
    /// The retransmission timer expired `retries` times in a row with no
    /// progress: the kernel gives the connection up (Linux's
    /// `tcp_write_timeout`), and the program's next call raises
    /// TimeoutError.
    GaveUp { retries: u8 },
    /// The sender's congestion window changed (Reno): after ACKs in slow
    /// start or congestion avoidance, or on a loss.
    Congestion {
        /// cwnd and ssthresh in segments (ssthresh `None` until the first loss).
        cwnd: u32,
        ssthresh: Option<u32>,
        phase: crate::sim::tcp::congestion::Phase,
        /// Why it changed.
        cause: CongestionCause,
        /// Bytes sent and not yet acknowledged, and the peer's window, then.
        flight: usize,
        peer_window: u16,
        mss: u16,
    },
    /// The kernel put a segment on the wire. (The segments are boxed:
    /// they are the largest payload by far, and every event in the log is
    /// as large as the largest kind.)
    SegmentSent {
        segment: Box<Segment>,
        reason: SendReason,
        arrives_at: Instant,
        /// Sequence and acknowledgment numbers counted from each side's
        /// initial sequence number, as Wireshark shows them ("relative").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        relative: Option<Relative>,
    },
    /// A segment reached its destination host.
    SegmentDelivered { segment: Box<Segment> },
    /// A segment was thrown away.
    SegmentDropped {
        segment: Box<Segment>,
        reason: DropReason,
    },
    /// A buffer's content changed.
    Buffer {
        side: BufferSide,
        cause: BufferCause,
        delta: i64,
        len: usize,
        capacity: usize,
    },
    /// A line the program wrote on the host's terminal (`print`, or a
    /// traceback on stderr).
    Console {
        line: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        stderr: bool,
    },
    /// A thread ran a statement that made no call (`if data:`): one step of
    /// the program, so a learner can follow every line.
    Ran { code: String },
    /// A thread has run this many statements without blocking once: a busy
    /// loop, holding the CPU and (but for the switch interval) the GIL.
    /// `eof_recvs` of its `recv()` calls returned `b''` at once meanwhile
    /// (a loop that does not stop when the peer has closed).
    Spinning {
        statements: u32,
        #[serde(default, skip_serializing_if = "is_zero_u32")]
        eof_recvs: u32,
    },
    /// A thread began.
    ThreadStarted { name: String, daemon: bool },
    /// A thread ended.
    ThreadEnded { name: String, end: ThreadEnd },
    /// The main thread has ended, but the process lives on: Python waits
    /// for these non-daemon threads to end first (daemon threads are not
    /// waited for).
    WaitingForThreads { threads: Vec<String> },
    /// The process ended: its main thread ended and no non-daemon thread remains.
    ProcessExited,
    /// `bind()` found `port` taken (it then fails with [Errno 98]): who
    /// holds it, and whether the new socket set SO_REUSEADDR.
    PortInUse {
        port: u16,
        holder: PortHolder,
        reuse_addr: bool,
    },
    /// The host's program was started again (`argv`: `python3`'s arguments,
    /// the script first): a new process, on the same kernel.
    ProgramRestarted { argv: Vec<String> },
    /// A forked process began: a copy of process `ppid`, with copies of
    /// its open fds (`fds`), naming the same sockets. The event's thread
    /// is the child's (first) thread.
    ProcessStarted {
        pid: u32,
        ppid: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        fds: Vec<Fd>,
    },
    /// A forked process ended with status `code` (negative: killed by
    /// that signal); the kernel closed the fds it held. `kept`: those of
    /// its fds whose socket stays open, because other processes still
    /// hold it.
    ChildExited {
        pid: u32,
        ppid: u32,
        code: i32,
        fds: Vec<Fd>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        kept: Vec<KeptFd>,
    },
    /// The learner ended the process (removed the client); the kernel closes
    /// every socket it still had open.
    ProcessTerminated,
    /// The learner did something.
    Action { action: Action },
    /// The learner's action could not apply (the reason is in the narration).
    ActionIgnored { action: Action, why: Text<String> },
    /// The (mock) resolver answered a name lookup after `delay`.
    Dns {
        name: String,
        ip: Ipv4Addr,
        delay: Duration,
    },
    /// An HTTP message was written or read by a program.
    Http { note: HttpNote },
}

/// What a program did with an HTTP message (the shared `http` module did the
/// work; these say what came out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "kebab-case")]
pub enum HttpNote {
    /// The browser wrote a request message.
    RequestBuilt {
        method: String,
        target: String,
        len: usize,
        keep_alive: bool,
    },
    /// The server's parser: these bytes are only the beginning of a request.
    RequestIncomplete { have: usize },
    /// The server's parser found a whole request.
    RequestParsed {
        method: String,
        target: String,
        len: usize,
        keep_alive: bool,
    },
    /// The server's parser can never make a request of these bytes.
    RequestRejected { status: u16, why: String },
    /// The static file server's decision for a request.
    Reply {
        status: u16,
        reason: String,
        /// The file the target resolved to, if it did.
        file: Option<String>,
        content_type: Option<String>,
        body_len: usize,
        keep_alive: bool,
    },
    /// The browser's parser: not a whole response yet.
    ResponseIncomplete { have: usize },
    /// The browser has a whole response.
    ResponseParsed {
        status: u16,
        reason: String,
        head_len: usize,
        body_len: usize,
    },
}

/// The coarse groups the event list can be filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Syscall,
    TcpState,
    Segment,
    Buffer,
    Console,
    /// A statement that made no call: the code panel's cursor moves.
    Code,
    Thread,
    /// The mock DNS answer and what the HTTP programs note (request, response).
    Http,
    Action,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Syscall,
        Category::TcpState,
        Category::Segment,
        Category::Buffer,
        Category::Console,
        Category::Code,
        Category::Thread,
        Category::Http,
        Category::Action,
    ];
}

/// One thing that happened, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The step of the run it happened in (0 = setting up the lesson).
    pub step: u64,
    pub at: Instant,
    pub host: Option<HostId>,
    pub thread: Option<ThreadId>,
    pub socket: Option<SockId>,
    /// The Python source line the thread was on (for syscalls and prints).
    pub line: Option<u32>,
    pub kind: EventKind,
}

impl Event {
    /// The group the event list files it under.
    pub fn category(&self) -> Category {
        self.kind.category()
    }
}

impl EventKind {
    pub fn category(&self) -> Category {
        use EventKind::*;
        match self {
            Call { .. } | Blocked { .. } | Return { .. } | PortInUse { .. } => Category::Syscall,
            State { .. }
            | SynQueued { .. }
            | SynCookieValid { .. }
            | AcceptQueued { .. }
            | Timer { .. }
            | Congestion { .. }
            | DuplicateAck { .. }
            | GaveUp { .. } => Category::TcpState,
            SegmentSent { .. } | SegmentDelivered { .. } | SegmentDropped { .. } => {
                Category::Segment
            }
            Buffer { .. } | OutOfOrder { .. } => Category::Buffer,
            Console { .. } => Category::Console,
            Ran { .. } | Spinning { .. } => Category::Code,
            ThreadStarted { .. }
            | ThreadEnded { .. }
            | WaitingForThreads { .. }
            | ProgramRestarted { .. }
            | ProcessExited
            | ProcessTerminated
            | ProcessStarted { .. }
            | ChildExited { .. } => Category::Thread,
            Action { .. } | ActionIgnored { .. } => Category::Action,
            // Program-level work, like the calls around it.
            Dns { .. } | Http { .. } => Category::Http,
        }
    }
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

/// Where an event happened: the host, thread and socket it concerns, and the
/// Python source line the thread was on. Build one with the constructors and
/// refine it: `Origin::thread(h, t).on(sock).at(line)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    pub host: Option<HostId>,
    pub thread: Option<ThreadId>,
    pub socket: Option<SockId>,
    pub line: Option<u32>,
}

impl Origin {
    /// The learner (an action): no host.
    pub fn learner() -> Origin {
        Origin::default()
    }

    /// A host's kernel or process, no thread or socket in particular.
    pub fn host(host: HostId) -> Origin {
        Origin {
            host: Some(host),
            ..Origin::default()
        }
    }

    /// One of a host's sockets (the kernel's doing, no thread).
    pub fn socket(host: HostId, socket: SockId) -> Origin {
        Origin::host(host).on(Some(socket))
    }

    /// A thread of a host's process.
    pub fn thread(host: HostId, thread: ThreadId) -> Origin {
        Origin {
            thread: Some(thread),
            ..Origin::host(host)
        }
    }

    /// The same, concerning `socket` (if any).
    pub fn on(self, socket: Option<SockId>) -> Origin {
        Origin { socket, ..self }
    }

    /// The same, at a source line (if known).
    pub fn at(self, line: Option<u32>) -> Origin {
        Origin { line, ..self }
    }
}

/// Where the world collects the events of the current step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Log {
    pub step: u64,
    pub now: Instant,
    pub events: Vec<Event>,
}

impl Log {
    /// The events recorded so far, oldest first; the log is empty after.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Records that `kind` happened at `origin`, now.
    pub fn push(&mut self, origin: Origin, kind: EventKind) {
        self.events.push(Event {
            step: self.step,
            at: self.now,
            host: origin.host,
            thread: origin.thread,
            socket: origin.socket,
            line: origin.line,
            kind,
        });
    }
}
