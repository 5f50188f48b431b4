//! One client connection: its state, where it is in its life, and when
//! it must be looked at again.

use std::time::{Duration, Instant};

use mio::net::TcpStream;

use super::{Outbox, Service, Timeout, LINGER_QUIET, LINGER_TOTAL};

/// Where a connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
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
pub(super) struct Conn<C> {
    pub(super) sock: TcpStream,
    /// Distinguishes this connection from earlier ones in the same slot.
    pub(super) id: u64,
    pub(super) state: C,
    pub(super) outbox: Outbox,
    pub(super) phase: Phase,
    /// The socket may hold bytes not read yet (readiness seen, not drained).
    pub(super) readable: bool,
    /// The client's FIN (or an error) is known to be queued behind the data:
    /// read until the read returns 0 even after a short read.
    pub(super) hup: bool,
    /// The outbox went over [`OUT_LIMIT`](super::OUT_LIMIT): reading paused until it drains.
    pub(super) throttled: bool,
    pub(super) last_read: Instant,
    /// When output last moved (appended to an empty outbox, or written).
    pub(super) last_write: Instant,
}

/// What a turn on a connection ended with.
pub(super) enum End {
    /// Wait for its next event.
    Wait,
    /// It still has input to read; serve it again after the others.
    Again,
    Close,
}

/// Which deadline a connection is waiting for.
pub(super) enum Due {
    Service(Timeout),
    LingerOver,
}

/// When a connection must be looked at again, and why.
pub(super) fn deadline<S: Service>(
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
