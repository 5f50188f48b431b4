//! Accepting new connections and placing them in a loop.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::Instant;

use mio::net::TcpStream;
use mio::{Interest, Token};

use super::conn::{Conn, Phase};
use super::deadlines::Key;
use super::run::Loop;
use super::{Outbox, Service, ACCEPT_RETRY};
use crate::native::server::lock;

impl<S: Service> Loop<S> {
    /// Accepts while the listener has clients and the server has room.
    pub(super) fn accept(&mut self, now: Instant) {
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

    pub(super) fn register(&mut self, mut sock: TcpStream, peer: SocketAddr, now: Instant) {
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
}
