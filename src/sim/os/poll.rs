//! When a socket is ready: what `select()` asks of each fd, as Linux's
//! `tcp_poll` (net/ipv4/tcp.c) answers it. Readable means a read would not
//! block (`accept` on a listening socket, `recv` on a connection);
//! writable means a `send` would not. `select()` counts an error or a
//! hang-up as readable, and an error as writable (its `POLLIN_SET` and
//! `POLLOUT_SET`), because the call then returns at once with it.

use super::kernel::{Socket, SocketKind};
use crate::sim::event::Readiness;
use crate::sim::tcp::State;

/// A socket's readiness for reading and for writing (`None`: that call
/// would block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poll {
    pub read: Option<Readiness>,
    pub write: Option<Readiness>,
}

impl Socket {
    /// Linux's `tcp_poll`, as `select()` reads it.
    pub fn poll(&self) -> Poll {
        match &self.kind {
            // `inet_csk_listen_poll`: readable when a connection waits;
            // never writable.
            SocketKind::Listener(l) => Poll {
                read: (!l.accept_queue.is_empty()).then_some(Readiness::Accept {
                    queued: l.accept_queue.len(),
                }),
                write: None,
            },
            // A socket that never connected is TCP_CLOSE: EPOLLHUP (so
            // readable), and its empty send buffer makes it writable.
            SocketKind::Fresh { .. } => Poll {
                read: Some(Readiness::Hangup),
                write: Some(Readiness::Hangup),
            },
            SocketKind::Stream(t) => {
                if matches!(t.state(), State::SynSent | State::SynReceived) {
                    // The handshake is not done: only an error wakes it.
                    let e = t.error().map(|error| Readiness::Error { error });
                    return Poll { read: e, write: e };
                }
                let rx = t.recv_buffer().len();
                let over = matches!(t.state(), State::Closed | State::TimeWait);
                let read = if rx > 0 {
                    Some(Readiness::Data { bytes: rx })
                } else if let Some(error) = t.error() {
                    Some(Readiness::Error { error })
                } else if t.fin_received() || self.opts.read_shut {
                    // RCV_SHUTDOWN: recv() returns b'' at once.
                    Some(Readiness::Eof)
                } else if over {
                    Some(Readiness::Hangup)
                } else {
                    None
                };
                let tx = t.send_buffer();
                let write = if let Some(error) = t.error() {
                    Some(Readiness::Error { error })
                } else if !t.can_send() {
                    // SEND_SHUTDOWN: send() fails at once.
                    Some(Readiness::SendShut)
                } else if writeable(tx.capacity(), tx.len()) {
                    Some(Readiness::Room {
                        free: tx.window(),
                        capacity: tx.capacity(),
                    })
                } else {
                    None
                };
                Poll { read, write }
            }
        }
    }
}

/// Linux's `sk_stream_is_writeable`: the free space is at least half of
/// what the buffer holds (`sk_stream_wspace >= sk_stream_min_wspace`), so
/// at least a third of the buffer is free. (Linux counts the memory the
/// queued packets take; this model counts their bytes.)
fn writeable(capacity: usize, queued: usize) -> bool {
    2 * capacity.saturating_sub(queued) >= queued
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writeable_means_a_third_of_the_buffer_free() {
        assert!(writeable(90, 0));
        assert!(writeable(90, 60), "30 free is half of the 60 queued");
        assert!(!writeable(90, 61));
        assert!(!writeable(16, 16));
        assert!(writeable(0, 0));
    }
}
