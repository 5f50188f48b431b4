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

    /// `setblocking(flag)`: CPython sets the fd's O_NONBLOCK flag, a call
    /// of its own, logged (the `select` lesson's server makes every socket
    /// non-blocking). The flag is a timeout of zero, as for `settimeout(0)`.
    pub(crate) fn sys_setblocking(&mut self, tid: ThreadId, line: u32, fd: Fd, blocking: bool) {
        let call = Call::SetBlocking { fd, blocking };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        self.set_timeout(tid, fd, (!blocking).then_some(Duration::ZERO));
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    /// `settimeout`: a timeout Python's socket object keeps (it makes the
    /// fd non-blocking underneath and waits in poll itself), so nothing is
    /// logged.
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
    /// three-way handshake; blocks until it is done. On a non-blocking
    /// socket it returns at once, as Linux's `__inet_stream_connect`:
    /// EINPROGRESS when the SYN goes, EALREADY while the handshake goes on,
    /// then once the handshake's outcome (success, or its error), then
    /// EISCONN.
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
        let Some(opts) = self.kernel(h).get(sid).map(|s| s.opts) else {
            return self.fail(tid, call, s, SysError::BadFd);
        };
        let mut started = false;
        if first {
            match self.kernel(h).get(sid).map(|s| &s.kind) {
                Some(SocketKind::Fresh { .. }) => started = true,
                // An earlier non-blocking connect(): this one says how it went.
                Some(SocketKind::Stream(_)) if opts.connecting => {}
                _ => return self.fail(tid, call, s, SysError::AlreadyConnected),
            }
        }
        if started {
            let bound = match self.kernel(h).get(sid).map(|s| &s.kind) {
                Some(SocketKind::Fresh { port }) => *port,
                _ => None,
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
        let (state, local) = (tcp.state(), tcp.local());
        // A pending error is reported once (then the state speaks).
        let error = if state == State::SynSent {
            None
        } else {
            tcp.take_error()
        };
        let nonblocking = opts.timeout == Some(Duration::ZERO);
        let connecting = state == State::SynSent && nonblocking;
        if let Some(sock) = self.kernel_mut(h).get_mut(sid) {
            sock.opts.connecting = connecting;
        }
        match (state, error) {
            (State::SynSent, _) if nonblocking => {
                let e = if started {
                    SysError::InProgress
                } else {
                    SysError::Already
                };
                self.fail(tid, call, s, e)
            }
            (State::SynSent, _) => self.block(tid, call, s, BlockReason::Handshake),
            (_, Some(e)) => self.fail(tid, call, s, e),
            _ => self.finish(tid, call, s, Ret::Connected { local }, local),
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

    /// `select(rlist, wlist, xlist, timeout)` (and a selector's `select`,
    /// `epoll`): returns the fds of `read` ready for reading and those of
    /// `write` ready for writing (each once, in the order given; the rules
    /// are [`Socket::poll`]'s), or blocks on all of them at once until one
    /// changes, or until `timeout` passes (zero: it only looks). An fd
    /// that is not open fails the call with EBADF. One thread waits for
    /// many sockets: that is what an event loop is built on.
    pub(crate) fn sys_select(
        &mut self,
        tid: ThreadId,
        line: u32,
        (read, write): (&[Fd], &[Fd]),
        timeout: Option<Duration>,
        epoll: bool,
    ) -> Sys<(Vec<Fd>, Vec<Fd>)> {
        let call = Call::Select {
            read: read.to_vec(),
            write: write.to_vec(),
            epoll,
        };
        if self.enter(tid, line, &call, None) {
            if let Some(d) = timeout.filter(|d| *d > Duration::ZERO) {
                let until = self.now + d;
                self.thread_mut(tid).deadline = Some(until);
                self.wake_at(tid, until);
            }
        }
        let k = self.kernel(self.thread(tid).host);
        let mut wakers: Vec<SockId> = Vec::new();
        let (mut readable, mut writable): (Vec<Ready>, Vec<Ready>) = (vec![], vec![]);
        let mut bad = false;
        for (fds, reading) in [(read, true), (write, false)] {
            for &fd in fds {
                let sid = match k.fd_entry(fd) {
                    Some(FdEntry::Socket(sid)) => sid,
                    // An epoll instance's fd, or the terminal's (0, 1, 2):
                    // open, and never ready in this model.
                    Some(FdEntry::Epoll) => continue,
                    None if fd < 3 => continue,
                    None => {
                        bad = true;
                        continue;
                    }
                };
                if !wakers.contains(&sid) {
                    wakers.push(sid);
                }
                let Some(sock) = k.get(sid) else {
                    continue;
                };
                let poll = sock.poll();
                let peer = match &sock.kind {
                    SocketKind::Stream(t) => Some(t.remote()),
                    _ => None,
                };
                let (why, list) = if reading {
                    (poll.read, &mut readable)
                } else {
                    (poll.write, &mut writable)
                };
                if let Some(why) = why.filter(|_| list.iter().all(|r| r.fd != fd)) {
                    list.push(Ready { fd, peer, why });
                }
            }
        }
        if bad {
            return self.fail(tid, call, None, SysError::BadFd);
        }
        let until = self.thread(tid).deadline;
        let expired = timeout == Some(Duration::ZERO) || until.is_some_and(|u| self.now >= u);
        if readable.is_empty() && writable.is_empty() && !expired {
            return self.park(tid, call, None, wakers, BlockReason::Select { until });
        }
        let fds = |l: &[Ready]| l.iter().map(|r| r.fd).collect::<Vec<Fd>>();
        let value = (fds(&readable), fds(&writable));
        let ret = Ret::Selected {
            read: readable,
            write: writable,
        };
        self.finish(tid, call, None, ret, value)
    }

    /// `selectors.DefaultSelector()`: `epoll_create1`, a new fd.
    pub(crate) fn sys_epoll_create(&mut self, tid: ThreadId, line: u32) -> Fd {
        self.enter(tid, line, &Call::EpollCreate, None);
        let h = self.thread(tid).host;
        let fd = self.kernel_mut(h).alloc_epoll_fd();
        let _ = self.finish(tid, Call::EpollCreate, None, Ret::Fd { fd }, ());
        fd
    }

    /// A selector's `register`/`modify`/`unregister`: `epoll_ctl` on
    /// `epfd` for `fd`. Both must be open (EBADF), `epfd` must be an epoll
    /// instance and not `fd` itself (EINVAL). The selector keeps the
    /// interest list; the kernel checks the fds, as Linux does here.
    pub(crate) fn sys_epoll_ctl(
        &mut self,
        tid: ThreadId,
        line: u32,
        epfd: Fd,
        (op, fd): (EpollOp, Fd),
        (read, write): (bool, bool),
    ) -> Sys<()> {
        let (read, write) = if op == EpollOp::Del {
            (false, false)
        } else {
            (read, write)
        };
        let call = Call::EpollCtl {
            op,
            fd,
            read,
            write,
        };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let k = self.kernel(self.thread(tid).host);
        let error = match (k.fd_entry(epfd), k.fd_entry(fd)) {
            (None, _) => Some(SysError::BadFd),
            (_, None) if fd >= 3 => Some(SysError::BadFd),
            (Some(FdEntry::Socket(_)), _) => Some(SysError::InvalidArgument),
            _ if fd == epfd => Some(SysError::InvalidArgument),
            _ => None,
        };
        match error {
            Some(e) => self.fail(tid, call, s, e),
            None => self.finish(tid, call, s, Ret::Done, ()),
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
