//! Moving bytes and giving sockets back: `send`/`sendall`, `recv`,
//! `shutdown`, `close`, and what the kernel does when an fd is released.

use super::super::*;

impl World {
    /// `send(data)` (or `sendall(data)` when `all`): copies into the send
    /// buffer and blocks while the rest waits for room; on Linux a blocking
    /// `send` returns only when every byte is in. A send that blocked goes
    /// on with the bytes it was first given, as the kernel copies from the
    /// caller's buffer: `data` is read only when the call starts.
    pub(crate) fn sys_send(
        &mut self,
        tid: ThreadId,
        line: u32,
        fd: Fd,
        data: &[u8],
        all: bool,
    ) -> Sys<usize> {
        let (data, done) = match self.thread_mut(tid).sending.take() {
            Some(pending) if self.thread(tid).in_call => pending,
            _ => (data.to_vec(), 0),
        };
        let call = Call::Send {
            fd,
            len: data.len(),
            all,
        };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        let mut out = Out::default();
        let result = match self.kernel_mut(h).tcp_mut(sid) {
            None => Err(SysError::BrokenPipe),
            Some(tcp) => match tcp.take_error() {
                Some(e) => Err(e),
                None if !tcp.can_send() => Err(SysError::BrokenPipe),
                None => Ok(tcp.app_send(&data[done..], &mut out)),
            },
        };
        self.apply_out(h, sid, out);
        match result {
            Err(e) => self.fail(tid, call, s, e),
            Ok(n) => {
                let copied = done + n;
                // A socket with a timeout is non-blocking underneath:
                // CPython's send() waits until some room is free, then
                // returns what one send() copied.
                let has_timeout = self
                    .kernel(h)
                    .get(sid)
                    .is_some_and(|s| s.opts.timeout.is_some());
                if copied == data.len() || (!all && copied > 0 && has_timeout) {
                    let ret = if all {
                        Ret::Done
                    } else {
                        Ret::Sent { n: copied }
                    };
                    self.finish(tid, call, s, ret, copied)
                } else {
                    let total = data.len();
                    self.thread_mut(tid).sending = Some((data, copied));
                    self.block(tid, call, s, BlockReason::SendBufferFull { copied, total })
                }
            }
        }
    }

    pub(crate) fn sys_recv(
        &mut self,
        tid: ThreadId,
        line: u32,
        fd: Fd,
        max: usize,
    ) -> Sys<Vec<u8>> {
        let call = Call::Recv { fd, max };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        if self.kernel(h).get(sid).is_some_and(|s| s.opts.read_shut) {
            let ret = Ret::Received {
                data: vec![],
                shape: None,
            };
            return self.finish(tid, call, s, ret, vec![]);
        }
        let mut out = Out::default();
        let result = match self.kernel_mut(h).tcp_mut(sid) {
            None => Err(SysError::NotConnected),
            Some(tcp) => match tcp.app_recv(max, &mut out) {
                Some((data, _)) if data.is_empty() => match tcp.take_error() {
                    Some(e) => Err(e),
                    None => Ok(Some((data, None))),
                },
                other => Ok(other),
            },
        };
        self.apply_out(h, sid, out);
        match result {
            Err(e) => self.fail(tid, call, s, e),
            Ok(None) => self.block(tid, call, s, BlockReason::RecvBufferEmpty),
            Ok(Some((data, shape))) => {
                if data.is_empty() {
                    let t = self.thread_mut(tid);
                    t.eof_recvs = t.eof_recvs.saturating_add(1);
                }
                let ret = Ret::Received {
                    data: data.clone(),
                    shape,
                };
                self.finish(tid, call, s, ret, data)
            }
        }
    }

    /// `shutdown(how)`: SHUT_RD (0) stops reading, SHUT_WR (1) queues a
    /// FIN after the buffered bytes, SHUT_RDWR (2) both.
    pub(crate) fn sys_shutdown(&mut self, tid: ThreadId, line: u32, fd: Fd, how: u8) -> Sys<()> {
        let call = Call::Shutdown { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        if self.kernel(h).tcp(sid).is_none_or(|t| !t.is_synchronized()) {
            return self.fail(tid, call, s, SysError::NotConnected);
        }
        if how != 1 {
            if let Some(sock) = self.kernel_mut(h).get_mut(sid) {
                sock.opts.read_shut = true;
            }
        }
        if how != 0 {
            let mut out = Out::default();
            if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                tcp.app_shutdown_write(&mut out);
            }
            self.apply_out(h, sid, out);
        }
        self.finish(tid, call, s, Ret::Done, ())
    }

    pub(crate) fn sys_close(&mut self, tid: ThreadId, line: u32, fd: Fd) {
        let s = self.fd_sock(tid, fd);
        let h = self.thread(tid).host;
        let sock = s.and_then(|s| self.kernel(h).get(s));
        let (state, unread) = match sock.map(|s| &s.kind) {
            Some(SocketKind::Listener(_)) => (Some(State::Listen), 0),
            Some(SocketKind::Stream(t)) => (Some(t.state()), t.recv_buffer().len()),
            _ => (None, 0),
        };
        let held_by = self.other_holders(tid, s);
        let call = Call::Close {
            fd,
            state,
            unread,
            held_by,
        };
        self.enter(tid, line, &call, s);
        let (h, p) = (self.thread(tid).host, self.thread(tid).proc);
        self.close_fd((h, p), fd);
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    /// What the kernel does when process `p` gives an fd back (by `close()`
    /// or by exiting): if another fd (a forked process's copy) still names
    /// the socket, nothing more (Linux counts the references to the
    /// `struct file`); the last one closes the socket.
    pub(in crate::sim::world) fn close_fd(&mut self, (h, p): (HostId, usize), fd: Fd) {
        let k = self.kernel_mut(h);
        let Some(sid) = k.release_fd(p, fd) else {
            return;
        };
        if !k.holders(sid).is_empty() {
            return;
        }
        let Some(sock) = k.get_mut(sid) else { return };
        sock.fd = None;
        match &mut sock.kind {
            SocketKind::Fresh { .. } => self.kernel_mut(h).free(sid),
            SocketKind::Listener(l) => {
                // Connections nobody accepted are reset.
                let queued: Vec<SockId> = l
                    .syn_queue
                    .iter()
                    .chain(l.accept_queue.iter())
                    .copied()
                    .collect();
                self.kernel_mut(h).free(sid);
                for c in queued {
                    let mut out = Out::default();
                    let now = self.now;
                    if let Some(t) = self.kernel_mut(h).tcp_mut(c) {
                        t.reset_unaccepted(now, &mut out);
                    }
                    self.apply_out(h, c, out);
                }
            }
            SocketKind::Stream(_) => {
                let mut out = Out::default();
                let now = self.now;
                if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                    tcp.app_close(now, &mut out);
                }
                self.apply_out(h, sid, out);
            }
        }
    }
}
