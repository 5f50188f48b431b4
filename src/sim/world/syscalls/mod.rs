//! The system calls programs make. Each logs its call once, its return, and
//! each new reason to block; a blocked call is tried again, from the top,
//! when the thread is woken, so each call's blocking and waking rule is
//! written once, here. Errors are Linux's (checked against real sockets):
//! `send` on a socket that is not connected is EPIPE, `recv` ENOTCONN,
//! `accept` on one that is not listening EINVAL.
//!
//! This file holds what every call shares (entering, returning, failing,
//! blocking); the calls themselves are grouped by family: `socket.rs`
//! (socket, setsockopt, bind, listen, accept, connect), `io.rs` (send,
//! recv, shutdown, close), `poll.rs` (select, epoll), `process.rs`
//! (sleep, input, join, fork, waitpid).

use super::*;

mod io;
mod poll;
mod process;
mod socket;

impl World {
    pub(super) fn enter(
        &mut self,
        tid: ThreadId,
        line: u32,
        call: &Call,
        sock: Option<SockId>,
    ) -> bool {
        let t = self.thread_mut(tid);
        t.line = Some(line);
        if t.in_call {
            return false;
        }
        t.in_call = true;
        t.deadline = None;
        let h = t.host;
        self.log.push(
            Origin::thread(h, tid).on(sock).at(Some(line)),
            EventKind::Call { call: call.clone() },
        );
        true
    }

    pub(super) fn finish<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        ret: Ret,
        value: T,
    ) -> Sys<T> {
        let t = self.thread_mut(tid);
        t.in_call = false;
        t.blocked_on.clear();
        t.deadline = None;
        t.sending = None;
        t.state = ThreadState::Running;
        let (h, line) = (t.host, t.line);
        self.log.push(
            Origin::thread(h, tid).on(sock).at(line),
            EventKind::Return { call, ret },
        );
        Sys::Ready(value)
    }

    pub(super) fn fail<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        error: SysError,
    ) -> Sys<T> {
        let _ = self.finish(tid, call, sock, Ret::Error { error }, ());
        Sys::Failed(error)
    }

    /// The call cannot finish yet. On a socket with a timeout
    /// (`settimeout`), the wait is bounded: zero fails at once with EAGAIN
    /// (`setblocking(False)`), a positive timeout fails with
    /// `TimeoutError('timed out')` once it has passed.
    pub(super) fn block<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        reason: BlockReason,
    ) -> Sys<T> {
        let h = self.thread(tid).host;
        let timeout = sock
            .and_then(|s| self.kernel(h).get(s))
            .and_then(|s| s.opts.timeout);
        if let Some(timeout) = timeout {
            if timeout == Duration::ZERO {
                return self.fail(tid, call, sock, SysError::WouldBlock);
            }
            let now = self.now;
            match self.thread(tid).deadline {
                Some(d) if now >= d => return self.fail(tid, call, sock, SysError::SocketTimeout),
                Some(_) => {}
                None => {
                    let d = now + timeout;
                    self.thread_mut(tid).deadline = Some(d);
                    self.wake_at(tid, d);
                }
            }
        }
        self.park(tid, call, sock, sock.into_iter().collect(), reason)
    }

    /// Puts the thread to sleep in its call until a change on one of
    /// `wakers` (or a deadline it set) wakes it to try the call again; the
    /// `Blocked` event is logged when the reason is new. The one place a
    /// thread starts waiting on sockets.
    pub(super) fn park<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        wakers: Vec<SockId>,
        reason: BlockReason,
    ) -> Sys<T> {
        let t = self.thread_mut(tid);
        let h = t.host;
        t.blocked_on = wakers;
        let new = ThreadState::Blocked {
            call: call.clone(),
            reason: reason.clone(),
        };
        if t.state != new {
            t.state = new;
            let line = t.line;
            self.log.push(
                Origin::thread(h, tid).on(sock).at(line),
                EventKind::Blocked { call, reason },
            );
        }
        Sys::Blocked
    }

    pub(super) fn fd_sock(&self, tid: ThreadId, fd: Fd) -> Option<SockId> {
        let t = self.thread(tid);
        self.kernel(t.host).by_fd(t.proc, fd)
    }

    /// The PIDs of the processes other than `tid`'s that hold an fd naming
    /// `sock` (a forked child's copies, or the parent's).
    pub(super) fn other_holders(&self, tid: ThreadId, sock: Option<SockId>) -> Vec<u32> {
        let t = self.thread(tid);
        let Some(sock) = sock else { return Vec::new() };
        let host = self.host(t.host);
        let mut pids: Vec<u32> = host
            .kernel
            .holders(sock)
            .into_iter()
            .filter(|&(p, _)| p != t.proc)
            .map(|(p, _)| host.procs[p].pid)
            .collect();
        pids.dedup();
        pids
    }
}
