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

mod deadlines;
pub(crate) mod echo;
pub(crate) mod http;
mod listen;
mod outbox;

use std::io::{self, ErrorKind, Read};
use std::net::{Shutdown, SocketAddr};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};

use super::engine::{AcceptMode, LoopOptions};
use super::server::{lock, ServerHandle};
use deadlines::{Deadlines, Key};
pub(crate) use outbox::{Outbox, Output, Pool};

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

/// What the loops share: the stop flag, the connection count and its bound,
/// and a way to wake each loop.
struct Shared {
    stop: AtomicBool,
    /// Connections open (or being accepted) in all loops.
    active: AtomicUsize,
    max: usize,
    /// The "server is full" message was printed since the last close.
    said_full: AtomicBool,
    /// A loop found the server full and waits for a slot to accept again.
    waiting: AtomicBool,
    wakers: Vec<Waker>,
    /// Connections handed to each loop ([`AcceptMode::Handoff`]).
    incoming: Vec<Mutex<Vec<(TcpStream, SocketAddr)>>>,
}

impl Shared {
    /// Takes a connection slot, if one is free.
    fn reserve(&self) -> bool {
        match self
            .active
            .fetch_update(SeqCst, SeqCst, |n| (n < self.max).then_some(n + 1))
        {
            Ok(before) => {
                if before + 1 == self.max && !self.said_full.swap(true, SeqCst) {
                    eprintln!(
                        "sockscope: {} clients connected (--max-connections); \
                         new clients wait in the listen backlog until one leaves",
                        self.max
                    );
                }
                true
            }
            Err(_) => false,
        }
    }

    /// Takes a slot, or notes that this loop waits for one. Checked twice so
    /// that a slot freed in between is never missed.
    fn reserve_or_wait(&self) -> bool {
        if self.reserve() {
            return true;
        }
        self.waiting.store(true, SeqCst);
        self.reserve()
    }

    /// Gives a slot back; wakes the loops that wait for one. Returns whether
    /// some loop was waiting (then the caller should try to accept too).
    fn release(&self, was_used: bool, me: usize) -> bool {
        self.active.fetch_sub(1, SeqCst);
        if was_used {
            self.said_full.store(false, SeqCst);
        }
        if self.waiting.swap(false, SeqCst) {
            for (i, w) in self.wakers.iter().enumerate() {
                if i != me {
                    let _ = w.wake();
                }
            }
            return true;
        }
        false
    }

    fn stopping(&self) -> bool {
        self.stop.load(SeqCst)
    }
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

/// Where a connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Open,
    /// Send what is waiting, then close.
    CloseAfterFlush,
    /// Send what is waiting, then linger.
    LingerAfterFlush,
    /// Sending is shut; reading and dropping until quiet, EOF or the limits.
    Lingering {
        since: Instant,
        drained: usize,
    },
}

/// One client connection, owned by one loop.
struct Conn<C> {
    sock: TcpStream,
    /// Distinguishes this connection from earlier ones in the same slot.
    id: u64,
    state: C,
    outbox: Outbox,
    phase: Phase,
    /// The socket may hold bytes not read yet (readiness seen, not drained).
    readable: bool,
    /// The client's FIN (or an error) is known to be queued behind the data:
    /// read until the read returns 0 even after a short read.
    hup: bool,
    /// The outbox went over [`OUT_LIMIT`]: reading paused until it drains.
    throttled: bool,
    last_read: Instant,
    /// When output last moved (appended to an empty outbox, or written).
    last_write: Instant,
}

/// What a turn on a connection ended with.
enum End {
    /// Wait for its next event.
    Wait,
    /// It still has input to read; serve it again after the others.
    Again,
    Close,
}

/// Which deadline a connection is waiting for.
enum Due {
    Service(Timeout),
    LingerOver,
}

struct Loop<S: Service> {
    me: usize,
    poll: Poll,
    listener: Option<TcpListener>,
    /// This loop accepts for all and hands connections round robin.
    handoff: bool,
    next_target: usize,
    service: Arc<S>,
    shared: Arc<Shared>,
    idle: Option<Duration>,
    local: S::Local,
    /// Connections by token; a freed slot is reused.
    slots: Vec<Option<Conn<S::Conn>>>,
    free: Vec<usize>,
    open: usize,
    next_id: u64,
    deadlines: Deadlines,
    /// Connections to serve again without waiting for an event.
    again: Vec<usize>,
    pool: Pool,
    buf: Vec<u8>,
    /// Accepting paused after an error until then.
    accept_retry: Option<Instant>,
}

impl<S: Service> Loop<S> {
    fn new(
        me: usize,
        poll: Poll,
        listener: Option<TcpListener>,
        handoff: bool,
        service: Arc<S>,
        shared: Arc<Shared>,
        idle: Option<Duration>,
    ) -> Self {
        Loop {
            me,
            poll,
            listener,
            handoff: handoff && me == 0,
            next_target: 0,
            local: service.local(),
            service,
            shared,
            idle,
            slots: Vec::new(),
            free: Vec::new(),
            open: 0,
            next_id: 0,
            deadlines: Deadlines::default(),
            again: Vec::new(),
            pool: Pool::default(),
            buf: vec![0; READ_BUF],
            accept_retry: None,
        }
    }

    fn run(mut self) {
        if let Some(l) = &mut self.listener {
            if let Err(e) = self
                .poll
                .registry()
                .register(l, LISTENER, Interest::READABLE)
            {
                eprintln!(
                    "sockscope: event loop {}: cannot watch the listener: {e}",
                    self.me
                );
                self.listener = None;
            }
        }
        let mut events = Events::with_capacity(EVENTS);
        while !self.shared.stopping() {
            let timeout = self.poll_timeout();
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() != ErrorKind::Interrupted {
                    eprintln!("sockscope: event loop {}: poll failed: {e}", self.me);
                    thread::sleep(ACCEPT_RETRY);
                }
                continue;
            }
            let now = Instant::now();
            let mut woken = false;
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept(now),
                    WAKER => woken = true,
                    Token(slot) => {
                        let hup = event.is_read_closed() || event.is_error();
                        self.drive(slot, event.is_readable() || hup, hup, now);
                    }
                }
            }
            if woken {
                if self.shared.stopping() {
                    break;
                }
                let handed = std::mem::take(&mut *lock(&self.shared.incoming[self.me]));
                for (sock, peer) in handed {
                    self.register(sock, peer, now);
                }
                // Woken because a slot freed somewhere: accept the waiting clients.
                self.accept(now);
            }
            for slot in std::mem::take(&mut self.again) {
                self.drive(slot, false, false, now);
            }
            self.expire(now);
            if self.accept_retry.is_some_and(|t| t <= now) {
                self.accept_retry = None;
                self.accept(now);
            }
        }
        self.close_all();
    }

    /// How long `poll` may sleep: until the earliest deadline.
    fn poll_timeout(&self) -> Option<Duration> {
        if !self.again.is_empty() {
            return Some(Duration::ZERO);
        }
        let next = match (self.deadlines.next(), self.accept_retry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        next.map(|t| t.saturating_duration_since(Instant::now()))
    }

    /// Accepts while the listener has clients and the server has room.
    fn accept(&mut self, now: Instant) {
        if self.accept_retry.is_some() {
            return;
        }
        loop {
            let Some(listener) = &self.listener else {
                return;
            };
            if self.shared.stopping() || !self.shared.reserve_or_wait() {
                // Full: the clients wait in the kernel's accept queue until a
                // connection closes and wakes this loop.
                return;
            }
            match listener.accept() {
                Ok((sock, peer)) => self.place(sock, peer, now),
                Err(e) => {
                    self.shared.release(false, self.me);
                    match e.kind() {
                        ErrorKind::WouldBlock => return,
                        ErrorKind::Interrupted | ErrorKind::ConnectionAborted => {}
                        _ => {
                            // EMFILE and friends: say so, back off, keep serving.
                            eprintln!("sockscope: accept failed: {e}");
                            self.accept_retry = Some(now + ACCEPT_RETRY);
                            return;
                        }
                    }
                }
            }
        }
    }

    /// A new connection goes to this loop, or (handoff) to the next in turn.
    fn place(&mut self, sock: TcpStream, peer: SocketAddr, now: Instant) {
        if self.handoff {
            let target = self.next_target;
            self.next_target = (target + 1) % self.shared.wakers.len();
            if target != self.me {
                lock(&self.shared.incoming[target]).push((sock, peer));
                let _ = self.shared.wakers[target].wake();
                return;
            }
        }
        self.register(sock, peer, now);
    }

    fn register(&mut self, mut sock: TcpStream, peer: SocketAddr, now: Instant) {
        let _ = sock.set_nodelay(true);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        // Interested in both directions from the start: events are
        // edge-triggered, so a writable event only comes after a write
        // found the send buffer full, and costs nothing otherwise.
        if let Err(e) = self.poll.registry().register(
            &mut sock,
            Token(slot),
            Interest::READABLE | Interest::WRITABLE,
        ) {
            eprintln!("sockscope: cannot watch the connection from {peer}: {e}; closing it");
            self.free.push(slot);
            if self.shared.release(true, self.me) {
                self.accept(now);
            }
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        let state = self.service.open(peer);
        self.slots[slot] = Some(Conn {
            sock,
            id,
            state,
            outbox: Outbox::default(),
            phase: Phase::Open,
            readable: false,
            hup: false,
            throttled: false,
            last_read: now,
            last_write: now,
        });
        self.open += 1;
        if let Some(idle) = self.idle {
            self.deadlines.push(now + idle, Key { slot, id });
        }
    }

    /// Serves one connection: writes what waits, reads what arrived, hands
    /// it to the service, until the socket would block. `hup`: the event
    /// said the client closed its side (or the connection failed).
    fn drive(&mut self, slot: usize, readable: bool, hup: bool, now: Instant) {
        self.guarded(slot, now, |lp| lp.drive_unguarded(slot, readable, hup, now));
    }

    /// Runs `f` for one connection; if it panics (a bug, whatever a client
    /// sent), only that connection is closed, as only its thread would end
    /// on the threads engine. The panic message is printed by Rust's hook.
    fn guarded(&mut self, slot: usize, now: Instant, f: impl FnOnce(&mut Self)) {
        if panic::catch_unwind(AssertUnwindSafe(|| f(self))).is_err() {
            eprintln!("sockscope: closing a connection whose handler panicked");
            self.close(slot, now);
        }
    }

    fn drive_unguarded(&mut self, slot: usize, readable: bool, hup: bool, now: Instant) {
        let Some(Some(conn)) = self.slots.get_mut(slot) else {
            return; // an event for a connection closed earlier in this batch
        };
        conn.readable |= readable;
        conn.hup |= hup;
        let mut cx = Cx {
            service: &*self.service,
            local: &mut self.local,
            pool: &mut self.pool,
            buf: &mut self.buf,
            deadlines: &mut self.deadlines,
            now,
        };
        match cx.turn(conn, slot) {
            End::Wait => {}
            End::Again => self.again.push(slot),
            End::Close => self.close(slot, now),
        }
    }

    fn close(&mut self, slot: usize, now: Instant) {
        let Some(mut conn) = self.slots.get_mut(slot).and_then(Option::take) else {
            return;
        };
        conn.outbox.clear(&mut self.pool);
        // Closing the descriptor also removes it from the poll set.
        drop(conn);
        self.free.push(slot);
        self.open -= 1;
        if self.shared.release(true, self.me) {
            self.accept(now);
        }
    }

    /// Handles every deadline that has passed.
    fn expire(&mut self, now: Instant) {
        while let Some(key) = self.deadlines.pop_due(now) {
            self.guarded(key.slot, now, |lp| lp.expire_one(key, now));
        }
        // Entries of closed connections leave when they come due; if many
        // connections closed early, sweep them out so the heap stays small.
        if self.deadlines.len() > 2 * self.open + 1024 {
            let slots = &self.slots;
            self.deadlines
                .retain(|k| matches!(slots.get(k.slot), Some(Some(c)) if c.id == k.id));
        }
    }

    fn expire_one(&mut self, key: Key, now: Instant) {
        let Some(Some(conn)) = self.slots.get_mut(key.slot) else {
            return;
        };
        if conn.id != key.id {
            return; // the connection it was for is gone
        }
        let Some((at, due)) = deadline(conn, self.idle, &*self.service) else {
            return;
        };
        if at > now {
            // It was active since: wait for its real deadline.
            self.deadlines.push(at, key);
            return;
        }
        let why = match due {
            Due::LingerOver => return self.close(key.slot, now),
            Due::Service(why) => why,
        };
        let was_empty = conn.outbox.is_empty();
        let flow = {
            let mut out = Output {
                outbox: &mut conn.outbox,
                pool: &mut self.pool,
            };
            self.service
                .timed_out(&mut self.local, &mut conn.state, why, &mut out)
        };
        if was_empty && !conn.outbox.is_empty() {
            conn.last_write = now;
        }
        match flow {
            Flow::CloseNow => return self.close(key.slot, now),
            Flow::Linger => conn.phase = Phase::LingerAfterFlush,
            Flow::Continue => {}
        }
        self.drive_unguarded(key.slot, false, false, now);
        if let Some(Some(conn)) = self.slots.get(key.slot) {
            if let Some((at, _)) = deadline(conn, self.idle, &*self.service) {
                self.deadlines.push(at, key);
            }
        }
    }

    /// Shutdown: close every connection, stop listening.
    fn close_all(&mut self) {
        self.listener = None;
        for slot in 0..self.slots.len() {
            if let Some(conn) = self.slots[slot].take() {
                let _ = conn.sock.shutdown(Shutdown::Both);
                self.shared.active.fetch_sub(1, SeqCst);
            }
        }
        self.open = 0;
        for (sock, _) in std::mem::take(&mut *lock(&self.shared.incoming[self.me])) {
            let _ = sock.shutdown(Shutdown::Both);
            self.shared.active.fetch_sub(1, SeqCst);
        }
    }
}

/// When a connection must be looked at again, and why.
fn deadline<S: Service>(
    conn: &Conn<S::Conn>,
    idle: Option<Duration>,
    service: &S,
) -> Option<(Instant, Due)> {
    if let Phase::Lingering { since, .. } = conn.phase {
        let quiet = conn.last_read.max(since) + LINGER_QUIET;
        return Some(((since + LINGER_TOTAL).min(quiet), Due::LingerOver));
    }
    let idle = idle?;
    Some(if !conn.outbox.is_empty() {
        (conn.last_write + idle, Due::Service(Timeout::Write))
    } else if let Some(started) = service.request_started(&conn.state) {
        (started + idle, Due::Service(Timeout::Partial))
    } else {
        (conn.last_read + idle, Due::Service(Timeout::Idle))
    })
}

/// The parts of a loop one connection's turn uses.
struct Cx<'a, S: Service> {
    service: &'a S,
    local: &'a mut S::Local,
    pool: &'a mut Pool,
    buf: &'a mut [u8],
    deadlines: &'a mut Deadlines,
    now: Instant,
}

impl<S: Service> Cx<'_, S> {
    fn turn(&mut self, c: &mut Conn<S::Conn>, slot: usize) -> End {
        let now = self.now;
        let mut reads = 0;
        loop {
            // 1. Send what waits, as far as the socket takes it.
            if !c.outbox.is_empty() {
                match c.outbox.flush(&mut c.sock, self.pool) {
                    Ok(written) => {
                        if written > 0 {
                            c.last_write = now;
                        }
                    }
                    Err(e) => {
                        if !matches!(c.phase, Phase::Lingering { .. }) {
                            self.service.failed(&mut c.state, &e);
                        }
                        return End::Close;
                    }
                }
            }
            // 2. A connection that is closing goes once everything is sent.
            if c.outbox.is_empty() {
                match c.phase {
                    Phase::CloseAfterFlush => return End::Close,
                    Phase::LingerAfterFlush => {
                        let _ = c.sock.shutdown(Shutdown::Write);
                        c.phase = Phase::Lingering {
                            since: now,
                            drained: 0,
                        };
                        c.readable = true;
                        self.deadlines
                            .push(now + LINGER_QUIET, Key { slot, id: c.id });
                    }
                    _ => {}
                }
            }
            // 3. Output drained under the limit: the service may go on with
            // input it held back (pipelined requests).
            if c.throttled && c.outbox.len() <= OUT_LIMIT {
                c.throttled = false;
                if c.phase == Phase::Open {
                    let was_empty = c.outbox.is_empty();
                    let flow = {
                        let mut out = Output {
                            outbox: &mut c.outbox,
                            pool: self.pool,
                        };
                        self.service.resume(self.local, &mut c.state, &mut out, now)
                    };
                    if let Some(end) = self.after_output(c, flow, was_empty) {
                        return end;
                    }
                    continue;
                }
            }
            // 4. Read, unless there is nothing to read or reading is paused.
            let reading = match c.phase {
                Phase::Open => !c.throttled,
                Phase::Lingering { .. } => true,
                _ => false,
            };
            if !c.readable || !reading {
                return End::Wait;
            }
            if reads == READS_PER_TURN {
                return End::Again;
            }
            reads += 1;
            let want = match c.phase {
                Phase::Lingering { .. } => self.buf.len(),
                _ => S::READ_SIZE.min(self.buf.len()),
            };
            match c.sock.read(&mut self.buf[..want]) {
                Ok(0) => {
                    c.readable = false;
                    if matches!(c.phase, Phase::Lingering { .. }) {
                        return End::Close;
                    }
                    self.service.peer_closed(&mut c.state);
                    // What was already decided still goes out; then close.
                    c.phase = Phase::CloseAfterFlush;
                }
                Ok(n) => {
                    c.last_read = now;
                    // A short read emptied the socket: the next byte to
                    // arrive raises a new event. Unless the same event also
                    // brought the FIN: then the 0 that reports it is still
                    // to be read, and no new event will say so.
                    if n < want && !c.hup {
                        c.readable = false;
                    }
                    if let Phase::Lingering { drained, .. } = &mut c.phase {
                        *drained += n;
                        if *drained >= LINGER_MAX_BYTES {
                            return End::Close;
                        }
                        continue;
                    }
                    let was_empty = c.outbox.is_empty();
                    let flow = {
                        let mut out = Output {
                            outbox: &mut c.outbox,
                            pool: self.pool,
                        };
                        self.service.received(
                            self.local,
                            &mut c.state,
                            &self.buf[..n],
                            &mut out,
                            now,
                        )
                    };
                    if let Some(end) = self.after_output(c, flow, was_empty) {
                        return end;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => c.readable = false,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    if !matches!(c.phase, Phase::Lingering { .. }) {
                        self.service.failed(&mut c.state, &e);
                    }
                    return End::Close;
                }
            }
        }
    }

    /// Bookkeeping after the service appended output and chose a flow.
    fn after_output(&mut self, c: &mut Conn<S::Conn>, flow: Flow, was_empty: bool) -> Option<End> {
        if was_empty && !c.outbox.is_empty() {
            c.last_write = self.now;
        }
        if c.outbox.len() > OUT_LIMIT {
            c.throttled = true;
        }
        match flow {
            Flow::Continue => {}
            Flow::Linger => c.phase = Phase::LingerAfterFlush,
            Flow::CloseNow => return Some(End::Close),
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::engine::AcceptMode;
    use std::io::Write;
    use std::net::TcpStream as StdStream;

    /// A toy protocol: answers each read with its bytes upper-cased, and
    /// panics on "boom" (a stand-in for a bug a client could trigger).
    struct Upper;

    impl Service for Upper {
        type Conn = ();
        type Local = ();
        const READ_SIZE: usize = 64;
        fn local(&self) {}
        fn open(&self, _: SocketAddr) {}
        fn received(
            &self,
            _: &mut (),
            _: &mut (),
            data: &[u8],
            out: &mut Output<'_>,
            _: Instant,
        ) -> Flow {
            assert!(data != b"boom", "a handler bug");
            out.extend_from_slice(&data.to_ascii_uppercase());
            Flow::Continue
        }
        fn timed_out(&self, _: &mut (), _: &mut (), _: Timeout, _: &mut Output<'_>) -> Flow {
            Flow::CloseNow
        }
    }

    fn ask(s: &mut StdStream, what: &[u8]) -> Vec<u8> {
        s.write_all(what).unwrap();
        let mut buf = vec![0u8; what.len()];
        s.read_exact(&mut buf).unwrap();
        buf
    }

    #[test]
    fn a_panicking_handler_closes_only_its_connection() {
        for accept in [AcceptMode::ReusePort, AcceptMode::Handoff] {
            let server = start(
                Upper,
                Setup {
                    addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                    name: "upper",
                    options: LoopOptions { loops: 1, accept },
                    max_connections: 10,
                    idle: Some(Duration::from_secs(5)),
                },
            )
            .unwrap();
            let addr = server.local_addr();
            let mut good = StdStream::connect(addr).unwrap();
            let mut bad = StdStream::connect(addr).unwrap();
            good.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            bad.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            assert_eq!(ask(&mut good, b"hello"), b"HELLO");
            bad.write_all(b"boom").unwrap();
            let mut rest = Vec::new();
            match bad.read_to_end(&mut rest) {
                Ok(_) => assert!(rest.is_empty()),
                Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset),
            }
            // The same loop goes on serving the other client, and new ones.
            assert_eq!(ask(&mut good, b"still"), b"STILL");
            let mut fresh = StdStream::connect(addr).unwrap();
            fresh
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            assert_eq!(ask(&mut fresh, b"new"), b"NEW");
            drop((good, fresh));
            let t0 = Instant::now();
            while server.active_connections() > 0 && t0.elapsed() < Duration::from_secs(5) {
                thread::sleep(Duration::from_millis(10));
            }
            assert_eq!(server.active_connections(), 0);
            server.shutdown();
        }
    }
}
