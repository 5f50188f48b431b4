//! One connection's turn: write what waits, read what arrived, and hand
//! it to the service, never waiting.

use std::io::{ErrorKind, Read};
use std::net::Shutdown;
use std::time::Instant;

use super::conn::{Conn, End, Phase};
use super::deadlines::{Deadlines, Key};
use super::{Flow, Output, Pool, Service};
use super::{LINGER_MAX_BYTES, LINGER_QUIET, OUT_LIMIT, READS_PER_TURN};

/// The parts of a loop one connection's turn uses.
pub(super) struct Cx<'a, S: Service> {
    pub(super) service: &'a S,
    pub(super) local: &'a mut S::Local,
    pub(super) pool: &'a mut Pool,
    pub(super) buf: &'a mut [u8],
    pub(super) deadlines: &'a mut Deadlines,
    pub(super) now: Instant,
}

impl<S: Service> Cx<'_, S> {
    pub(super) fn turn(&mut self, c: &mut Conn<S::Conn>, slot: usize) -> End {
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
