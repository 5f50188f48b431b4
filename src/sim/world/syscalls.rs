//! The system calls programs make. Each logs its call once, its return, and
//! each new reason to block; a blocked call is tried again, from the top,
//! when the thread is woken, so each call's blocking and waking rule is
//! written once, here.

use super::*;

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
        t.blocked_on = None;
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

    pub(super) fn block<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        reason: BlockReason,
    ) -> Sys<T> {
        let t = self.thread_mut(tid);
        t.blocked_on = sock;
        let new = ThreadState::Blocked {
            call: call.clone(),
            reason: reason.clone(),
        };
        if t.state != new {
            t.state = new;
            let (h, line) = (t.host, t.line);
            self.log.push(
                Origin::thread(h, tid).on(sock).at(line),
                EventKind::Blocked { call, reason },
            );
        }
        Sys::Blocked
    }

    pub(super) fn fd_sock(&self, tid: ThreadId, fd: Fd) -> Option<SockId> {
        self.kernel(self.thread(tid).host).by_fd(fd)
    }

    pub(crate) fn sys_socket(&mut self, tid: ThreadId, line: u32) -> Fd {
        self.enter(tid, line, &Call::Socket, None);
        let h = self.thread(tid).host;
        let k = self.kernel_mut(h);
        let id = k.insert(Socket {
            fd: None,
            kind: SocketKind::Fresh { port: None },
        });
        let fd = k.alloc_fd(id);
        let _ = self.finish(tid, Call::Socket, Some(id), Ret::Fd { fd }, ());
        fd
    }

    pub(crate) fn sys_setsockopt(&mut self, tid: ThreadId, line: u32, fd: Fd) {
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &Call::Setsockopt, s);
        let _ = self.finish(tid, Call::Setsockopt, s, Ret::Done, ());
    }

    pub(crate) fn sys_bind(&mut self, tid: ThreadId, line: u32, fd: Fd, port: u16) {
        let call = Call::Bind { port };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        if let Some(sock) = s.and_then(|s| self.kernel_mut(h).get_mut(s)) {
            sock.kind = SocketKind::Fresh { port: Some(port) };
        }
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    pub(crate) fn sys_listen(&mut self, tid: ThreadId, line: u32, fd: Fd, backlog: u32) {
        let call = Call::Listen { backlog };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let ip = self.host(h).ip;
        if let Some(sid) = s {
            let k = self.kernel_mut(h);
            if let Some(sock) = k.get_mut(sid) {
                let port = match sock.kind {
                    SocketKind::Fresh { port: Some(p) } => p,
                    _ => 0,
                };
                sock.kind = SocketKind::Listener(Listener {
                    local: Endpoint::new(ip, port),
                    backlog,
                    syn_queue: vec![],
                    accept_queue: vec![],
                });
                self.log.push(
                    Origin::thread(h, tid).on(s).at(Some(line)),
                    EventKind::State {
                        from: State::Closed,
                        to: State::Listen,
                    },
                );
            }
        }
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    pub(crate) fn sys_accept(&mut self, tid: ThreadId, line: u32, fd: Fd) -> Sys<(Fd, Endpoint)> {
        let call = Call::Accept { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(lid) = s else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        let k = self.kernel_mut(h);
        let Some(l) = k.listener_mut(lid) else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        if l.accept_queue.is_empty() {
            return self.block(tid, call, s, BlockReason::AcceptQueueEmpty);
        }
        let child = l.accept_queue.remove(0);
        let new_fd = k.alloc_fd(child);
        let tcp = k.tcp_mut(child).expect("queued connections are streams");
        tcp.accepted();
        let peer = tcp.remote();
        self.finish(
            tid,
            call,
            Some(child),
            Ret::Accepted { fd: new_fd, peer },
            (new_fd, peer),
        )
    }

    pub(crate) fn sys_connect(&mut self, tid: ThreadId, line: u32, fd: Fd) -> Sys<Endpoint> {
        let h = self.thread(tid).host;
        let to = Endpoint::new(host_ip(HostId::SERVER), self.config.server.port);
        let call = Call::Connect { fd, to };
        let s = self.fd_sock(tid, fd);
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        if self.enter(tid, line, &call, s) {
            // First try: pick a local port and start the handshake.
            let iss = SeqNumber(self.rng.next_u32());
            let cfg = self.config.tcp.clone();
            let ip = self.host(h).ip;
            let k = self.kernel_mut(h);
            let port = k.ephemeral_port();
            let (sc, rc) = (k.send_capacity, k.recv_capacity);
            let mut tcp = TcpSocket::new(Endpoint::new(ip, port), to, iss, (sc, rc), &cfg);
            let mut out = Out::default();
            tcp.connect(&mut out);
            self.kernel_mut(h)
                .get_mut(sid)
                .expect("fd maps to a socket")
                .kind = SocketKind::Stream(Box::new(tcp));
            self.apply_out(h, sid, out);
        }
        let tcp = self.kernel(h).tcp(sid).expect("connect made a stream");
        match (tcp.state(), tcp.error()) {
            (State::SynSent, _) => self.block(tid, call, s, BlockReason::Handshake),
            (_, Some(e)) => self.fail(tid, call, s, e),
            _ => {
                let local = tcp.local();
                self.finish(tid, call, s, Ret::Connected { local }, local)
            }
        }
    }

    /// `send(data)`: copies what fits into the send buffer and blocks while
    /// the rest waits for room. A send that blocked goes on with the bytes it
    /// was first given, as the kernel copies from the caller's buffer:
    /// `data` is read only when the call starts.
    pub(crate) fn sys_send(&mut self, tid: ThreadId, line: u32, fd: Fd, data: &[u8]) -> Sys<usize> {
        let (data, done) = match self.thread_mut(tid).sending.take() {
            Some(pending) if self.thread(tid).in_call => pending,
            _ => (data.to_vec(), 0),
        };
        let call = Call::Send {
            fd,
            len: data.len(),
        };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        let mut out = Out::default();
        let result = match self.kernel_mut(h).tcp_mut(sid) {
            None => Err(SysError::BrokenPipe),
            Some(tcp) => match tcp.error() {
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
                if copied == data.len() {
                    self.finish(tid, call, s, Ret::Sent { n: copied }, copied)
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
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        let mut out = Out::default();
        let result = match self.kernel_mut(h).tcp_mut(sid) {
            None => Err(SysError::BrokenPipe),
            Some(tcp) => match (tcp.app_recv(max, &mut out), tcp.error()) {
                (Some(data), Some(e)) if data.is_empty() => Err(e),
                (other, _) => Ok(other),
            },
        };
        self.apply_out(h, sid, out);
        match result {
            Err(e) => self.fail(tid, call, s, e),
            Ok(None) => self.block(tid, call, s, BlockReason::RecvBufferEmpty),
            Ok(Some(data)) => self.finish(tid, call, s, Ret::Received { data: data.clone() }, data),
        }
    }

    pub(crate) fn sys_shutdown(&mut self, tid: ThreadId, line: u32, fd: Fd) {
        let call = Call::Shutdown { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        if let Some(sid) = s {
            let mut out = Out::default();
            if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                tcp.app_shutdown_write(&mut out);
            }
            self.apply_out(h, sid, out);
        }
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    pub(crate) fn sys_close(&mut self, tid: ThreadId, line: u32, fd: Fd) {
        let call = Call::Close { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        self.close_fd(h, fd);
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    /// What the kernel does when a process gives an fd back (by `close()` or
    /// by exiting).
    pub(super) fn close_fd(&mut self, h: HostId, fd: Fd) {
        let k = self.kernel_mut(h);
        let Some(sid) = k.release_fd(fd) else { return };
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
                    if let Some(t) = self.kernel_mut(h).tcp_mut(c) {
                        t.reset_unaccepted(&mut out);
                    }
                    self.apply_out(h, c, out);
                }
            }
            SocketKind::Stream(_) => {
                let mut out = Out::default();
                if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                    tcp.app_close(&mut out);
                }
                self.apply_out(h, sid, out);
            }
        }
    }

    pub(crate) fn sys_sleep(&mut self, tid: ThreadId, line: u32, d: Duration) -> Sys<()> {
        let call = Call::Sleep { duration: d };
        if self.enter(tid, line, &call, None) {
            let until = self.now + d;
            self.thread_mut(tid).scheduled = false;
            self.schedule_run(tid, until);
            return self.block(tid, call, None, BlockReason::Sleeping { until });
        }
        self.finish(tid, call, None, Ret::Done, ())
    }

    pub(crate) fn sys_input(&mut self, tid: ThreadId, line: u32) -> Sys<Command> {
        let call = Call::Input;
        self.enter(tid, line, &call, None);
        match self.thread_mut(tid).inbox.pop_front() {
            Some(cmd) => {
                let command = cmd.clone();
                self.finish(tid, call, None, Ret::Command { command }, cmd)
            }
            None => self.block(tid, call, None, BlockReason::Learner),
        }
    }
}
