//! The system calls programs make. Each logs its call once, its return, and
//! each new reason to block; a blocked call is tried again, from the top,
//! when the thread is woken, so each call's blocking and waking rule is
//! written once, here. Errors are Linux's (checked against real sockets):
//! `send` on a socket that is not connected is EPIPE, `recv` ENOTCONN,
//! `accept` on one that is not listening EINVAL.

use super::*;
use crate::sim::event::PortHolder;

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
        t.blocked_on = None;
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
        let t = self.thread_mut(tid);
        t.blocked_on = sock;
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
        self.kernel(self.thread(tid).host).by_fd(fd)
    }

    pub(crate) fn sys_socket(&mut self, tid: ThreadId, line: u32) -> Fd {
        self.enter(tid, line, &Call::Socket, None);
        let h = self.thread(tid).host;
        let k = self.kernel_mut(h);
        let id = k.insert(Socket::fresh());
        let fd = k.alloc_fd(id);
        let _ = self.finish(tid, Call::Socket, Some(id), Ret::Fd { fd }, ());
        fd
    }

    /// `setsockopt(level, option, value)`: SO_REUSEADDR (SOL_SOCKET 1,
    /// option 2) is kept for `bind`; TCP_NODELAY (IPPROTO_TCP 6, option 1)
    /// turns Nagle's algorithm off; the others are accepted and change
    /// nothing in this model.
    pub(crate) fn sys_setsockopt(
        &mut self,
        tid: ThreadId,
        line: u32,
        fd: Fd,
        (level, opt, value): (i32, i32, i64),
    ) {
        let s = self.fd_sock(tid, fd);
        let on = value != 0;
        let option = match (level, opt) {
            (1, 2) => SockOption::ReuseAddr,
            (6, 1) => SockOption::NoDelay,
            (level, option) => SockOption::Other { level, option },
        };
        let call = Call::Setsockopt { option, on };
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        if let Some(sid) = s {
            if let Some(sock) = self.kernel_mut(h).get_mut(sid) {
                match (level, opt) {
                    (1, 2) => sock.opts.reuse_addr = on,
                    (6, 1) => sock.opts.nodelay = on,
                    _ => {}
                }
            }
            if (level, opt) == (6, 1) {
                let mut out = Out::default();
                if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                    tcp.set_nodelay(on, &mut out);
                }
                self.apply_out(h, sid, out);
            }
        }
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    /// `settimeout` / `setblocking`: no call of its own on Linux (it is a
    /// flag of Python's socket object), so nothing is logged.
    pub(crate) fn set_timeout(&mut self, tid: ThreadId, fd: Fd, timeout: Option<Duration>) {
        let h = self.thread(tid).host;
        if let Some(sock) = self
            .fd_sock(tid, fd)
            .and_then(|s| self.kernel_mut(h).get_mut(s))
        {
            sock.opts.timeout = timeout;
        }
    }

    /// `bind((addr, port))`: `addr` must be one of the host's ("" is every
    /// one); port 0 picks a free ephemeral port. A port another socket holds
    /// is EADDRINUSE, unless SO_REUSEADDR is set and none of them listens
    /// (connections left in TIME-WAIT by an earlier run of the server).
    pub(crate) fn sys_bind(
        &mut self,
        tid: ThreadId,
        line: u32,
        fd: Fd,
        addr: Option<Ipv4Addr>,
        port: u16,
    ) -> Sys<()> {
        let call = Call::Bind { port };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        let ip = self.host(h).ip;
        if addr.is_some_and(|a| a != ip && !a.is_unspecified() && !a.is_loopback()) {
            return self.fail(tid, call, s, SysError::AddrNotAvail);
        }
        let k = self.kernel_mut(h);
        let Some(sock) = k.get(sid) else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        if !matches!(sock.kind, SocketKind::Fresh { port: None }) {
            return self.fail(tid, call, s, SysError::InvalidArgument);
        }
        let reuse = sock.opts.reuse_addr;
        let port = if port == 0 { k.ephemeral_port() } else { port };
        let now = self.now;
        let k = self.kernel(h);
        let holder = k.sockets.iter().enumerate().find_map(|(i, other)| {
            let other = other.as_ref()?;
            if i == sid.0 as usize {
                return None;
            }
            match &other.kind {
                SocketKind::Fresh { port: p } => (*p == Some(port)).then_some(PortHolder::Bound),
                SocketKind::Listener(l) => (l.local.port == port).then_some(PortHolder::Listener),
                // Linux's `inet_bind_conflict`: a connection on the port
                // is no obstacle only if both sockets asked for
                // SO_REUSEADDR (a TIME-WAIT connection keeps the flag its
                // socket had, inherited from the listener).
                SocketKind::Stream(t) => (t.local().port == port
                    && !(reuse && other.opts.reuse_addr))
                    .then(|| PortHolder::Connection {
                        state: t.state(),
                        peer: t.remote(),
                        reuse_addr: other.opts.reuse_addr,
                        time_wait_left: (t.state() == State::TimeWait)
                            .then(|| t.timers().get(TimerKind::TimeWait))
                            .flatten()
                            .map(|end| end - now),
                    }),
            }
        });
        if let Some(holder) = holder {
            self.log.push(
                Origin::thread(h, tid),
                EventKind::PortInUse {
                    port,
                    holder,
                    reuse_addr: reuse,
                },
            );
            return self.fail(tid, call, s, SysError::AddrInUse);
        }
        if let Some(sock) = self.kernel_mut(h).get_mut(sid) {
            sock.kind = SocketKind::Fresh { port: Some(port) };
        }
        self.finish(tid, call, s, Ret::Done, ())
    }

    /// `listen(backlog)`: an unbound socket gets an ephemeral port first,
    /// as Linux does.
    pub(crate) fn sys_listen(&mut self, tid: ThreadId, line: u32, fd: Fd, backlog: u32) -> Sys<()> {
        let call = Call::Listen { backlog };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let ip = self.host(h).ip;
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        let k = self.kernel_mut(h);
        let port = match k.get(sid).map(|s| &s.kind) {
            Some(SocketKind::Fresh { port: Some(p) }) => *p,
            Some(SocketKind::Fresh { port: None }) => k.ephemeral_port(),
            Some(SocketKind::Listener(_)) => return self.finish(tid, call, s, Ret::Done, ()),
            _ => return self.fail(tid, call, s, SysError::InvalidArgument),
        };
        if let Some(sock) = k.get_mut(sid) {
            sock.kind = SocketKind::Listener(Listener {
                local: Endpoint::new(ip, port),
                backlog,
                syn_queue: vec![],
                accept_queue: vec![],
                last_cookie: None,
            });
        }
        self.log.push(
            Origin::thread(h, tid).on(s).at(Some(line)),
            EventKind::State {
                from: State::Closed,
                to: State::Listen,
            },
        );
        self.finish(tid, call, s, Ret::Done, ())
    }

    pub(crate) fn sys_accept(&mut self, tid: ThreadId, line: u32, fd: Fd) -> Sys<(Fd, Endpoint)> {
        let call = Call::Accept { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(lid) = s else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        let k = self.kernel_mut(h);
        let Some(l) = k.listener_mut(lid) else {
            return self.fail(tid, call, s, SysError::InvalidArgument);
        };
        if l.accept_queue.is_empty() {
            return self.block(tid, call, s, BlockReason::AcceptQueueEmpty);
        }
        let child = l.accept_queue.remove(0);
        let new_fd = k.alloc_fd(child);
        let Some(tcp) = k.tcp_mut(child) else {
            return self.fail(tid, call, s, SysError::InvalidArgument);
        };
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

    /// `connect((ip, port))`: picks a free local port and starts the
    /// three-way handshake; blocks until it is done.
    pub(crate) fn sys_connect(
        &mut self,
        tid: ThreadId,
        line: u32,
        fd: Fd,
        to: Endpoint,
    ) -> Sys<Endpoint> {
        let h = self.thread(tid).host;
        let call = Call::Connect { fd, to };
        let s = self.fd_sock(tid, fd);
        let first = self.enter(tid, line, &call, s);
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        if first {
            let bound = match self.kernel(h).get(sid).map(|s| &s.kind) {
                Some(SocketKind::Fresh { port }) => *port,
                _ => return self.fail(tid, call, s, SysError::AlreadyConnected),
            };
            let iss = SeqNumber(self.rng.next_u32());
            let cfg = self.config.tcp.clone();
            let ip = self.host(h).ip;
            let k = self.kernel_mut(h);
            let port = bound.unwrap_or_else(|| k.ephemeral_port());
            let (sc, rc) = (k.send_capacity, k.recv_capacity);
            let nodelay = k.get(sid).is_some_and(|s| s.opts.nodelay);
            let mut tcp = TcpSocket::new(Endpoint::new(ip, port), to, iss, (sc, rc), &cfg);
            let mut out = Out::default();
            tcp.set_nodelay(nodelay, &mut out);
            tcp.connect(&mut out);
            if let Some(sock) = self.kernel_mut(h).get_mut(sid) {
                sock.kind = SocketKind::Stream(Box::new(tcp));
            }
            self.apply_out(h, sid, out);
        }
        let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        if tcp.state() == State::SynSent {
            return self.block(tid, call, s, BlockReason::Handshake);
        }
        let local = tcp.local();
        match tcp.take_error() {
            Some(e) => self.fail(tid, call, s, e),
            None => self.finish(tid, call, s, Ret::Connected { local }, local),
        }
    }

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
                if copied == data.len() {
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
        let call = Call::Close { fd, state, unread };
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

    pub(crate) fn sys_sleep(&mut self, tid: ThreadId, line: u32, d: Duration) -> Sys<()> {
        let call = Call::Sleep { duration: d };
        if self.enter(tid, line, &call, None) {
            let until = self.now + d;
            self.thread_mut(tid).deadline = Some(until);
            self.wake_at(tid, until);
        }
        match self.thread(tid).deadline {
            Some(until) if self.now < until => {
                self.block(tid, call, None, BlockReason::Sleeping { until })
            }
            _ => self.finish(tid, call, None, Ret::Done, ()),
        }
    }

    /// `input()`: a line the learner typed into the host's terminal (the
    /// page's send, recv and close buttons type them); blocks until there is
    /// one.
    pub(crate) fn sys_input(&mut self, tid: ThreadId, line: u32) -> Sys<String> {
        let call = Call::Input;
        self.enter(tid, line, &call, None);
        let h = self.thread(tid).host;
        match self.host_mut(h).stdin.pop_front() {
            Some(text) => self.finish(tid, call, None, Ret::Line { text: text.clone() }, text),
            None => self.block(tid, call, None, BlockReason::Learner),
        }
    }

    /// The browser's address bar: blocks until the learner types a URL.
    pub(crate) fn sys_wait_url(&mut self, tid: ThreadId, line: u32) -> Sys<String> {
        let call = Call::WaitForUrl;
        self.enter(tid, line, &call, None);
        loop {
            match self.thread_mut(tid).inbox.pop_front() {
                Some(Command::Visit { url }) => {
                    let command = Command::Visit { url: url.clone() };
                    return self.finish(tid, call, None, Ret::Command { command }, url);
                }
                Some(_) => continue,
                None => return self.block(tid, call, None, BlockReason::Learner),
            }
        }
    }

    /// `Thread.join(timeout)`: blocks until `target` has ended (or the
    /// timeout has passed).
    pub(crate) fn sys_join(
        &mut self,
        tid: ThreadId,
        line: u32,
        target: ThreadId,
        timeout: Option<Duration>,
    ) -> Sys<()> {
        let call = Call::Join {
            thread: self.thread(target).name.clone(),
        };
        if self.enter(tid, line, &call, None) {
            if let Some(t) = timeout {
                let until = self.now + t;
                self.thread_mut(tid).deadline = Some(until);
                self.wake_at(tid, until);
            }
        }
        let until = self.thread(tid).deadline;
        if !self.thread(target).is_alive() || until.is_some_and(|u| self.now >= u) {
            return self.finish(tid, call, None, Ret::Done, ());
        }
        self.thread_mut(tid).joining = Some(target);
        self.block(tid, call, None, BlockReason::ThreadRunning { until })
    }
}
