//! The event-loop engine (`--engine event-loop`): one thread, many sockets.
//!
//! # The problem: a thread per client
//!
//! The course's server ([`super::server`]) gives every client a thread that
//! sits in `recv()` until bytes arrive. That is easy to read, and it is how
//! the lessons draw it. But a blocked thread still costs a stack, a kernel
//! task and, above all, a *context switch* every time it wakes: with a
//! thousand clients each sending one small request, the CPU spends more time
//! switching between threads than serving. Around 1999 this was called the
//! **C10k problem**: how does one machine serve ten thousand clients at once?
//!
//! # The answer: ask the kernel which sockets are ready
//!
//! Most of the time most clients are silent. Instead of one thread waiting on
//! each socket, one thread asks the kernel "of all these sockets, which can I
//! read or write *without waiting*?" That question is `select()` (the lesson
//! of the same name), `poll()`, and on Linux `epoll_wait()`; the crate
//! [`mio`] gives the same interface on every system. The answer is a list of
//! *readiness* events: "socket 17 has bytes", "socket 42 has room to send".
//! The thread then serves exactly those sockets and asks again. That loop,
//!
//! ```text
//! loop {
//!     events = poll(all sockets, timeout = earliest deadline)
//!     for each event: accept / read / parse / answer / write, never waiting
//!     close the connections whose deadline passed
//! }
//! ```
//!
//! is the **event loop**. Every socket is *non-blocking*: a `read` with
//! nothing to read returns `WouldBlock` at once instead of sleeping, so one
//! slow client can never stop the thread from serving the others. One
//! `epoll_wait` can return hundreds of ready sockets, so under load a single
//! wake-up serves many requests, and a silent connection costs only its
//! socket and a few hundred bytes of bookkeeping: no thread, no stack. That
//! is why one thread can hold ten thousand connections, and how nginx works.
//!
//! # What the loop must do itself
//!
//! Blocking code gets some things for free that the loop must now do by hand:
//!
//! - **Partial input.** A `read` returns whatever has arrived: half a
//!   request, or one and a half. The bytes wait in the connection's own
//!   buffer until the parser ([`crate::http::parse_request`]) says
//!   `Complete` (httparse's `Partial` means "keep reading").
//! - **Partial output.** A non-blocking `write` takes only what fits in the
//!   kernel's send buffer. The rest waits in the connection's outbox
//!   (`outbox.rs`) and is written when the socket reports it is writable
//!   again.
//! - **Back-pressure.** A client that sends requests but never reads the
//!   answers would make that outbox grow without end. So when a connection
//!   has more than [`OUT_LIMIT`] bytes waiting, the loop stops reading from
//!   it. Its requests then pile up in the kernel's receive buffer, the TCP
//!   window closes, and the *client's* `send` blocks: the same flow control
//!   the `buffers` lesson shows, now protecting the server.
//! - **Timeouts.** No thread sleeps in `recv` with a timeout, so the loop
//!   keeps a list of deadlines (`deadlines.rs`) and gives `poll` the
//!   earliest one.
//! - **Fairness.** A loop must not spend itself on one greedy client: it
//!   reads at most [`READS_PER_TURN`] times from a connection before serving
//!   the others, and comes back to it on the next turn.
//!
//! # Readiness is edge-triggered
//!
//! mio reports a socket when it *becomes* ready, not as long as it stays
//! ready. So after an event the loop reads until the socket is empty (a
//! `WouldBlock`, or a read shorter than the buffer: the kernel had no more
//! at that instant, and any byte arriving later raises a new event; but a
//! FIN that came with the last bytes raises none, so after an event that
//! reports one the loop reads on until `read` returns 0). When
//! the loop stops reading on purpose (back-pressure, fairness) it remembers
//! that the socket may still hold bytes and comes back to it by itself.
//!
//! # One loop per core
//!
//! One loop uses one core. The engine runs one loop per core (a thread each,
//! with its own `Poll`), every connection belonging to exactly one loop, so
//! the loops never share a connection and never lock. New connections reach
//! the loops in one of two ways ([`AcceptMode`]): every loop listens on the
//! same port with `SO_REUSEPORT` and the kernel spreads the connections, or
//! the first loop accepts and hands them round robin to the others.
//!
//! # Same behaviour as the threads engine
//!
//! The protocols are the same code: the echo server prints the lines of
//! [`crate::echo`], the web server answers with [`crate::http::serve_static`]
//! and logs the same access lines. The limits are the same: past
//! `--max-connections` the loops stop accepting and new clients wait in the
//! listen backlog; a silent client is disconnected after the idle timeout; a
//! request that does not arrive whole in time gets `408`; after an error
//! reply the connection lingers briefly so the reply is not lost to a reset.
//! The per-protocol parts live in `echo` and `http` (this directory), each a
//! `Service`: what to do with bytes that arrived, and with a timeout.

mod accept;
mod conn;
mod deadlines;
pub(crate) mod echo;
pub(crate) mod http;
mod listen;
mod outbox;
mod run;
mod shared;
#[cfg(test)]
mod tests;
mod turn;

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use mio::{Poll, Token, Waker};

use super::engine::{AcceptMode, LoopOptions};
use super::server::ServerHandle;
pub(crate) use outbox::{Outbox, Output, Pool};
use run::Loop;
use shared::Shared;

/// Bytes waiting to be sent to one client beyond which the loop stops
/// reading from that client (back-pressure).
pub const OUT_LIMIT: usize = 256 * 1024;
/// Reads from one connection in one turn before the others get theirs.
pub const READS_PER_TURN: usize = 16;
/// The loop's read buffer (one per loop, not per connection).
const READ_BUF: usize = 64 * 1024;
/// Readiness events taken from one `poll`.
const EVENTS: usize = 1024;
/// After an error reply: how long to read and drop what the client still
/// sends, at most, and how long a silence ends it (as the threads engine).
const LINGER_TOTAL: Duration = Duration::from_secs(1);
const LINGER_QUIET: Duration = Duration::from_millis(500);
const LINGER_MAX_BYTES: usize = 256 * 1024;
/// After a failed `accept` (out of file descriptors, say): wait this long.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

const LISTENER: Token = Token(usize::MAX - 1);
const WAKER: Token = Token(usize::MAX - 2);

/// What a connection does next, as a [`Service`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Keep serving it.
    Continue,
    /// Send what is waiting, then stop sending, read and drop what the
    /// client still sends for a moment, then close (after an error reply).
    Linger,
    /// Close now, dropping what is waiting.
    CloseNow,
}

/// Which deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timeout {
    /// The client sent nothing for the idle timeout.
    Idle,
    /// A request began arriving but was not whole within the idle timeout.
    Partial,
    /// Output has been waiting and the client took none of it for the idle timeout.
    Write,
}

/// One protocol served by the loop: the echo server or the web server.
///
/// The loop owns the sockets and calls these with the bytes that arrived;
/// the service appends what to send to an [`Output`] and says what happens
/// next. None of these may block.
pub(crate) trait Service: Send + Sync + 'static {
    /// What the service remembers about one connection.
    type Conn: Send + 'static;
    /// What it keeps per loop (the web server's `Date` clock).
    type Local;
    /// The most bytes one `read` takes (the echo server's `recv(1024)`).
    const READ_SIZE: usize;

    fn local(&self) -> Self::Local;
    /// A client was accepted.
    fn open(&self, peer: SocketAddr) -> Self::Conn;
    /// Bytes arrived.
    fn received(
        &self,
        local: &mut Self::Local,
        conn: &mut Self::Conn,
        data: &[u8],
        out: &mut Output<'_>,
        now: Instant,
    ) -> Flow;
    /// The output went back under [`OUT_LIMIT`]: go on with input held back.
    fn resume(
        &self,
        _local: &mut Self::Local,
        _conn: &mut Self::Conn,
        _out: &mut Output<'_>,
        _now: Instant,
    ) -> Flow {
        Flow::Continue
    }
    /// The client closed its side (a read returned 0).
    fn peer_closed(&self, _conn: &mut Self::Conn) {}
    /// A read or write failed (a reset, say); the connection is closed.
    fn failed(&self, _conn: &mut Self::Conn, _err: &io::Error) {}
    /// When the request being received began, if one is incomplete.
    fn request_started(&self, _conn: &Self::Conn) -> Option<Instant> {
        None
    }
    /// A deadline passed.
    fn timed_out(
        &self,
        local: &mut Self::Local,
        conn: &mut Self::Conn,
        why: Timeout,
        out: &mut Output<'_>,
    ) -> Flow;
}

/// The running loops, as the [`ServerHandle`] holds them.
pub(crate) struct Running {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    pub(crate) fn active_connections(&self) -> usize {
        self.shared.active.load(SeqCst)
    }

    /// Stops every loop: each closes its listener and its connections, then ends.
    pub(crate) fn stop(&mut self) {
        if self.threads.is_empty() {
            return;
        }
        self.shared.stop.store(true, SeqCst);
        for w in &self.shared.wakers {
            let _ = w.wake();
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// How the engine is set up for one server.
pub(crate) struct Setup {
    pub addr: SocketAddr,
    /// Thread names: `{name}-loop-{i}`.
    pub name: &'static str,
    pub options: LoopOptions,
    pub max_connections: usize,
    /// `None`: no idle timeout (the echo server can be asked for that).
    pub idle: Option<Duration>,
}

/// Binds and starts the loops for `service`.
pub(crate) fn start<S: Service>(service: S, setup: Setup) -> io::Result<ServerHandle> {
    let loops = match setup.options.loops {
        0 => thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let (bound, listeners) = listen::bind(setup.addr, loops, setup.options.accept)?;
    // One listener for several loops: the first accepts for all.
    let handoff = listeners.len() < loops;
    debug_assert!(!handoff || setup.options.accept == AcceptMode::Handoff || loops > 1);

    let mut polls = Vec::with_capacity(loops);
    let mut wakers = Vec::with_capacity(loops);
    for _ in 0..loops {
        let poll = Poll::new()?;
        wakers.push(Waker::new(poll.registry(), WAKER)?);
        polls.push(poll);
    }
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        active: AtomicUsize::new(0),
        max: setup.max_connections.max(1),
        said_full: AtomicBool::new(false),
        waiting: AtomicBool::new(false),
        wakers,
        incoming: (0..loops).map(|_| Mutex::new(Vec::new())).collect(),
    });
    let service = Arc::new(service);
    let mut running = Running {
        shared: shared.clone(),
        threads: Vec::with_capacity(loops),
    };
    let mut listeners = listeners.into_iter();
    for (me, poll) in polls.into_iter().enumerate() {
        let listener = listeners.next();
        let (service, shared) = (service.clone(), shared.clone());
        let idle = setup.idle;
        let spawned = thread::Builder::new()
            .name(format!("{}-loop-{me}", setup.name))
            .spawn(move || {
                Loop::new(me, poll, listener, handoff, service, shared, idle).run();
            });
        match spawned {
            Ok(t) => running.threads.push(t),
            Err(e) => {
                running.stop();
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot start event loop {me}: {e}"),
                ));
            }
        }
    }
    Ok(ServerHandle::from_event_loop(bound, running))
}
