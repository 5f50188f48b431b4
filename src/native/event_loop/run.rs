//! One loop: its connections, the poll it waits on, and what it does with
//! each readiness event and each deadline.

use std::io::ErrorKind;
use std::net::Shutdown;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};

use super::conn::{deadline, Conn, Due, End, Phase};
use super::deadlines::{Deadlines, Key};
use super::shared::Shared;
use super::turn::Cx;
use super::{Flow, Output, Pool, Service};
use super::{ACCEPT_RETRY, EVENTS, LISTENER, READ_BUF, WAKER};
use crate::native::server::lock;

pub(super) struct Loop<S: Service> {
    pub(super) me: usize,
    pub(super) poll: Poll,
    pub(super) listener: Option<TcpListener>,
    /// This loop accepts for all and hands connections round robin.
    pub(super) handoff: bool,
    pub(super) next_target: usize,
    pub(super) service: Arc<S>,
    pub(super) shared: Arc<Shared>,
    pub(super) idle: Option<Duration>,
    local: S::Local,
    /// Connections by token; a freed slot is reused.
    pub(super) slots: Vec<Option<Conn<S::Conn>>>,
    pub(super) free: Vec<usize>,
    pub(super) open: usize,
    pub(super) next_id: u64,
    pub(super) deadlines: Deadlines,
    /// Connections to serve again without waiting for an event.
    again: Vec<usize>,
    pool: Pool,
    buf: Vec<u8>,
    /// Accepting paused after an error until then.
    pub(super) accept_retry: Option<Instant>,
}

impl<S: Service> Loop<S> {
    pub(super) fn new(
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

    pub(super) fn run(mut self) {
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

    pub(super) fn close(&mut self, slot: usize, now: Instant) {
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
