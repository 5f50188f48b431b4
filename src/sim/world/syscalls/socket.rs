//! The calls that make, name and connect a socket: `socket`, `setsockopt`,
//! `setblocking`/`settimeout`, `bind`, `listen`, `accept`, `connect`.

use super::super::*;
use crate::sim::event::PortHolder;

impl World {
    pub(crate) fn sys_socket(&mut self, tid: ThreadId, line: u32) -> Fd {
        self.enter(tid, line, &Call::Socket, None);
        let (h, p) = (self.thread(tid).host, self.thread(tid).proc);
        let k = self.kernel_mut(h);
        let id = k.insert(Socket::fresh());
        let fd = k.alloc_fd(p, id);
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
        let p = self.thread(tid).proc;
        let k = self.kernel_mut(h);
        let Some(l) = k.listener_mut(lid) else {
            return self.fail(tid, call, s, SysError::InvalidArgument);
        };
        if l.accept_queue.is_empty() {
            return self.block(tid, call, s, BlockReason::AcceptQueueEmpty);
        }
        let child = l.accept_queue.remove(0);
        let new_fd = k.alloc_fd(p, child);
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
}
