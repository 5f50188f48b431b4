//! What the loops share: the stop flag, the connection count and its
//! bound, and a way to wake each loop.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Mutex;

use mio::net::TcpStream;
use mio::Waker;

/// What the loops share: the stop flag, the connection count and its bound,
/// and a way to wake each loop.
pub(super) struct Shared {
    pub(super) stop: AtomicBool,
    /// Connections open (or being accepted) in all loops.
    pub(super) active: AtomicUsize,
    pub(super) max: usize,
    /// The "server is full" message was printed since the last close.
    pub(super) said_full: AtomicBool,
    /// A loop found the server full and waits for a slot to accept again.
    pub(super) waiting: AtomicBool,
    pub(super) wakers: Vec<Waker>,
    /// Connections handed to each loop ([`AcceptMode::Handoff`](super::AcceptMode::Handoff)).
    pub(super) incoming: Vec<Mutex<Vec<(TcpStream, SocketAddr)>>>,
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
    pub(super) fn reserve_or_wait(&self) -> bool {
        if self.reserve() {
            return true;
        }
        self.waiting.store(true, SeqCst);
        self.reserve()
    }

    /// Gives a slot back; wakes the loops that wait for one. Returns whether
    /// some loop was waiting (then the caller should try to accept too).
    pub(super) fn release(&self, was_used: bool, me: usize) -> bool {
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

    pub(super) fn stopping(&self) -> bool {
        self.stop.load(SeqCst)
    }
}
