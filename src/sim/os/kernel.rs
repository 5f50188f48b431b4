//! A host's kernel: its socket table, listening sockets with their queues,
//! and ephemeral ports.

use crate::sim::ids::{Fd, HostId, SockId};
use crate::sim::net::Endpoint;
use crate::sim::tcp::TcpSocket;
use crate::sim::time::{Duration, Instant};
use std::net::Ipv4Addr;

/// The lowest ephemeral port Linux hands out (`ip_local_port_range`).
pub const EPHEMERAL_LOW: u16 = 32768;
/// The highest.
pub const EPHEMERAL_HIGH: u16 = 60999;
/// The first fd a socket can get: 0, 1 and 2 are stdin, stdout and stderr.
const FIRST_FD: usize = 3;

/// A listening socket: it never carries data, it makes connections.
///
/// Invariant: each queue holds at most `backlog + 1` connections. A SYN
/// that finds the accept queue full is dropped; one that finds the SYN
/// queue full gets a SYN cookie (or is dropped, with syncookies off), as
/// Linux's `tcp_conn_request` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub local: Endpoint,
    pub backlog: u32,
    /// Half-open connections: SYN received, SYN-ACK sent, final ACK awaited.
    pub syn_queue: Vec<SockId>,
    /// Finished handshakes waiting for `accept()`, oldest first.
    pub accept_queue: Vec<SockId>,
    /// When it last answered a SYN with a cookie (Linux's "last overflow"):
    /// for two minutes after, an ACK it has no half-open connection for is
    /// checked for a cookie.
    pub last_cookie: Option<Instant>,
}

impl Listener {
    /// More connections wait for `accept()` than the backlog: Linux's
    /// `sk_acceptq_is_full` (`>`, so `backlog + 1` fit).
    pub fn accept_queue_full(&self) -> bool {
        self.accept_queue.len() > self.backlog as usize
    }

    /// More half-open connections than the backlog: Linux's
    /// `inet_csk_reqsk_queue_is_full`.
    pub fn syn_queue_full(&self) -> bool {
        self.syn_queue.len() > self.backlog as usize
    }

    /// A SYN now would be dropped with `net.ipv4.tcp_syncookies = 0`
    /// (Linux's `tcp_conn_request`). With syncookies on, the default, a SYN
    /// that finds only the SYN queue full is answered with a cookie.
    pub fn drops_syn(&self) -> bool {
        self.accept_queue_full() || self.syn_queue_full()
    }

    /// It sent a SYN cookie less than two minutes before `now`
    /// (`tcp_synq_no_recent_overflow` is false).
    pub fn cookies_recent(&self, now: Instant) -> bool {
        self.last_cookie
            .is_some_and(|t| now - t <= crate::sim::tcp::cookie::VALID)
    }
}

/// What a socket is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketKind {
    /// Made by `socket()`, maybe bound, neither listening nor connected yet.
    Fresh {
        port: Option<u16>,
    },
    Listener(Listener),
    Stream(Box<TcpSocket>),
}

/// An entry of the socket table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    /// The program's file descriptor (the number it was first given; a
    /// forked child's copy has the same number); `None` once every fd that
    /// referred to it is closed (the kernel may keep the connection a while
    /// longer: FIN-WAIT, TIME-WAIT, LAST-ACK).
    pub fd: Option<Fd>,
    pub kind: SocketKind,
    /// The options the program set.
    pub opts: SockOpts,
}

/// What `setsockopt`, `settimeout`, `shutdown(SHUT_RD)` and a non-blocking
/// `connect` changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SockOpts {
    /// SO_REUSEADDR: `bind` may take a port that only connections in
    /// TIME-WAIT (or other non-listening connections) still hold.
    pub reuse_addr: bool,
    /// `settimeout`: `None` blocks forever, zero never blocks
    /// (`setblocking(False)`), otherwise blocking calls give up after it.
    pub timeout: Option<Duration>,
    /// `shutdown(SHUT_RD)`: `recv` returns `b''` from now on.
    pub read_shut: bool,
    /// TCP_NODELAY: Nagle's algorithm off (inherited by accepted sockets).
    pub nodelay: bool,
    /// A non-blocking `connect()` answered EINPROGRESS and the program has
    /// not yet been told how the handshake ended (Linux's `SS_CONNECTING`):
    /// the next `connect()` reports it.
    pub connecting: bool,
}

impl Socket {
    /// A socket as `socket()` makes it: not bound, not connected.
    pub fn fresh() -> Socket {
        Socket {
            fd: None,
            kind: SocketKind::Fresh { port: None },
            opts: SockOpts::default(),
        }
    }
}

/// What an open file descriptor names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FdEntry {
    Socket(SockId),
    /// An epoll instance (`selectors.DefaultSelector()` makes one). It only
    /// holds its fd number here: the sockets it watches are the program's
    /// selector's, handed to each `select` call.
    Epoll,
}

/// One host's kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kernel {
    pub host: HostId,
    pub ip: Ipv4Addr,
    /// The socket table: slot = [`SockId`]. Freed slots are `None` and reused.
    pub sockets: Vec<Option<Socket>>,
    /// Each process's file descriptor table (index: the process's slot on
    /// the host, 0 the first process): slot = fd, as in the kernel's own fd
    /// array. Slots 0–2 (stdin, stdout, stderr) are never sockets. A forked
    /// child's table is a copy of its parent's: both name the same socket
    /// (Linux's shared `struct file`), which the kernel closes only when the
    /// last fd naming it is closed.
    fds: Vec<Vec<Option<FdEntry>>>,
    /// Next ephemeral port to try.
    next_port: u16,
    /// Buffer sizes new sockets get (SO_SNDBUF / SO_RCVBUF).
    pub send_capacity: usize,
    pub recv_capacity: usize,
}

impl Kernel {
    pub fn new(
        host: HostId,
        ip: Ipv4Addr,
        first_port: u16,
        send_capacity: usize,
        recv_capacity: usize,
    ) -> Self {
        Kernel {
            host,
            ip,
            sockets: Vec::new(),
            fds: vec![Vec::new()],
            next_port: first_port.clamp(EPHEMERAL_LOW, EPHEMERAL_HIGH) & !1,
            send_capacity,
            recv_capacity,
        }
    }

    /// Adds a socket to the table, reusing the first free slot.
    pub fn insert(&mut self, socket: Socket) -> SockId {
        if let Some(i) = self.sockets.iter().position(|s| s.is_none()) {
            self.sockets[i] = Some(socket);
            SockId(i as u16)
        } else {
            self.sockets.push(Some(socket));
            SockId(self.sockets.len() as u16 - 1)
        }
    }

    /// A new file descriptor: the lowest unused number from 3 (0, 1 and 2 are
    /// stdin, stdout and stderr), as POSIX requires.
    pub fn alloc_fd(&mut self, p: usize, id: SockId) -> Fd {
        let fd = self.alloc_slot(p, FdEntry::Socket(id));
        if let Some(Some(s)) = self.sockets.get_mut(id.0 as usize) {
            s.fd = Some(fd);
        }
        fd
    }

    /// An fd for a new epoll instance (`epoll_create1`).
    pub fn alloc_epoll_fd(&mut self, p: usize) -> Fd {
        self.alloc_slot(p, FdEntry::Epoll)
    }

    fn table_mut(&mut self, p: usize) -> &mut Vec<Option<FdEntry>> {
        if self.fds.len() <= p {
            self.fds.resize(p + 1, Vec::new());
        }
        &mut self.fds[p]
    }

    fn alloc_slot(&mut self, p: usize, entry: FdEntry) -> Fd {
        let fds = self.table_mut(p);
        if fds.len() < FIRST_FD {
            fds.resize(FIRST_FD, None);
        }
        let slot = match fds[FIRST_FD..].iter().position(Option::is_none) {
            Some(i) => FIRST_FD + i,
            None => {
                fds.push(None);
                fds.len() - 1
            }
        };
        fds[slot] = Some(entry);
        slot as Fd
    }

    /// `fork()`: process `child` gets a copy of `parent`'s fd table. Each
    /// copied fd names the same socket as the parent's.
    pub fn fork_fds(&mut self, parent: usize, child: usize) {
        let table = self.fds.get(parent).cloned().unwrap_or_default();
        *self.table_mut(child) = table;
    }

    /// The processes (slots) with an fd naming socket `id`, and those fds.
    pub fn holders(&self, id: SockId) -> Vec<(usize, Fd)> {
        let mut out = Vec::new();
        for (p, table) in self.fds.iter().enumerate() {
            for (fd, e) in table.iter().enumerate() {
                if *e == Some(FdEntry::Socket(id)) {
                    out.push((p, fd as Fd));
                }
            }
        }
        out
    }

    pub fn get(&self, id: SockId) -> Option<&Socket> {
        self.sockets.get(id.0 as usize).and_then(|s| s.as_ref())
    }

    pub fn get_mut(&mut self, id: SockId) -> Option<&mut Socket> {
        self.sockets.get_mut(id.0 as usize).and_then(|s| s.as_mut())
    }

    pub fn tcp(&self, id: SockId) -> Option<&TcpSocket> {
        match self.get(id)?.kind {
            SocketKind::Stream(ref t) => Some(t),
            _ => None,
        }
    }

    pub fn tcp_mut(&mut self, id: SockId) -> Option<&mut TcpSocket> {
        match self.get_mut(id)?.kind {
            SocketKind::Stream(ref mut t) => Some(t),
            _ => None,
        }
    }

    pub fn listener(&self, id: SockId) -> Option<&Listener> {
        match self.get(id)?.kind {
            SocketKind::Listener(ref l) => Some(l),
            _ => None,
        }
    }

    pub fn listener_mut(&mut self, id: SockId) -> Option<&mut Listener> {
        match self.get_mut(id)?.kind {
            SocketKind::Listener(ref mut l) => Some(l),
            _ => None,
        }
    }

    /// The socket an fd names, if it names one.
    pub fn by_fd(&self, p: usize, fd: Fd) -> Option<SockId> {
        match self.fd_entry(p, fd)? {
            FdEntry::Socket(id) => Some(id),
            FdEntry::Epoll => None,
        }
    }

    /// What an fd names, if it is open.
    pub fn fd_entry(&self, p: usize, fd: Fd) -> Option<FdEntry> {
        self.fds.get(p)?.get(fd as usize).copied().flatten()
    }

    /// Gives an fd back: the socket it named, if it was an open socket's.
    pub fn release_fd(&mut self, p: usize, fd: Fd) -> Option<SockId> {
        let fds = self.fds.get_mut(p)?;
        let entry = fds.get_mut(fd as usize)?.take();
        // No free slots at the end, so two tables with the same open fds
        // are equal whatever was open before.
        while fds.last() == Some(&None) {
            fds.pop();
        }
        match entry? {
            FdEntry::Socket(id) => Some(id),
            FdEntry::Epoll => None,
        }
    }

    /// The open fds, lowest first.
    pub fn open_fds(&self, p: usize) -> Vec<Fd> {
        let Some(fds) = self.fds.get(p) else {
            return Vec::new();
        };
        (0..fds.len())
            .filter(|&fd| fds[fd].is_some())
            .map(|fd| fd as Fd)
            .collect()
    }

    /// Frees the slot of a socket that is CLOSED and has no fd.
    pub fn free(&mut self, id: SockId) {
        if let Some(slot) = self.sockets.get_mut(id.0 as usize) {
            *slot = None;
        }
    }

    /// Is this local port in use by any socket?
    pub fn port_in_use(&self, port: u16) -> bool {
        self.sockets.iter().flatten().any(|s| match &s.kind {
            SocketKind::Fresh { port: p } => *p == Some(port),
            SocketKind::Listener(l) => l.local.port == port,
            SocketKind::Stream(t) => t.local().port == port,
        })
    }

    /// An ephemeral port for `connect()`: the next free even one in the
    /// range (Linux 6.x gives `connect()` even ports and keeps the odd ones
    /// for `bind(0)`), then the odd ones if every even port is taken.
    pub fn ephemeral_port(&mut self) -> u16 {
        let half = usize::from(EPHEMERAL_HIGH - EPHEMERAL_LOW) / 2 + 1;
        for tried in 0..2 * half {
            if tried == half {
                // Every port of this parity is taken: the other parity.
                self.next_port ^= 1;
            }
            let port = self.next_port;
            self.next_port = if port + 2 > EPHEMERAL_HIGH {
                EPHEMERAL_LOW + (port & 1)
            } else {
                port + 2
            };
            if !self.port_in_use(port) {
                return port;
            }
        }
        // Every port is taken: a model this small never gets here.
        self.next_port
    }

    /// Demultiplexing: which socket gets a segment for `local` from `remote`?
    /// A connection matching all four numbers first; else a listener on the port.
    /// The ports this host's sockets listen on, lowest first.
    pub fn listening_ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self
            .sockets
            .iter()
            .filter_map(|s| match s.as_ref().map(|s| &s.kind) {
                Some(SocketKind::Listener(l)) => Some(l.local.port),
                _ => None,
            })
            .collect();
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    pub fn demux(&self, local: Endpoint, remote: Endpoint) -> Option<SockId> {
        let mut listener = None;
        for (i, s) in self.sockets.iter().enumerate() {
            match s.as_ref().map(|s| &s.kind) {
                Some(SocketKind::Stream(t)) if t.local() == local && t.remote() == remote => {
                    return Some(SockId(i as u16));
                }
                Some(SocketKind::Listener(l)) if l.local.port == local.port => {
                    listener = Some(SockId(i as u16))
                }
                _ => {}
            }
        }
        listener
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::net::SeqNumber;
    use crate::sim::tcp::TcpConfig;

    fn kernel() -> Kernel {
        Kernel::new(
            HostId(1),
            Ipv4Addr::new(10, 0, 0, 2),
            EPHEMERAL_HIGH - 1,
            64,
            64,
        )
    }

    #[test]
    fn fds_are_the_lowest_free_number_from_3() {
        let mut k = kernel();
        let a = k.insert(Socket::fresh());
        let b = k.insert(Socket::fresh());
        assert_eq!((k.alloc_fd(0, a), k.alloc_fd(0, b)), (3, 4));
        assert_eq!(k.release_fd(0, 3), Some(a));
        assert_eq!(
            (k.by_fd(0, 3), k.by_fd(0, 4), k.open_fds(0)),
            (None, Some(b), vec![4])
        );
        let c = k.insert(Socket::fresh());
        assert_eq!(k.alloc_fd(0, c), 3);
        // The table ends with an open fd: equal tables hold the same open
        // fds, whichever were open before.
        assert_eq!((k.release_fd(0, 4), k.release_fd(0, 4)), (Some(b), None));
        assert_eq!((k.open_fds(0), k.fds[0].len()), (vec![3], 4));
        assert_eq!(k.release_fd(0, 3), Some(c));
        assert!(k.fds[0].is_empty());
        assert_eq!(k.alloc_fd(0, a), 3);
    }

    #[test]
    fn a_forked_table_names_the_same_sockets() {
        let mut k = kernel();
        let a = k.insert(Socket::fresh());
        assert_eq!(k.alloc_fd(0, a), 3);
        k.fork_fds(0, 1);
        assert_eq!((k.by_fd(0, 3), k.by_fd(1, 3)), (Some(a), Some(a)));
        assert_eq!(k.holders(a), vec![(0, 3), (1, 3)]);
        assert_eq!(k.release_fd(0, 3), Some(a));
        assert_eq!(k.holders(a), vec![(1, 3)]);
        let b = k.insert(Socket::fresh());
        assert_eq!(k.alloc_fd(0, b), 3, "each table allocates on its own");
        assert_eq!(k.by_fd(1, 3), Some(a));
    }

    #[test]
    fn ephemeral_ports_wrap_and_skip_ports_in_use() {
        let mut k = kernel();
        k.insert(Socket {
            kind: SocketKind::Fresh {
                port: Some(EPHEMERAL_HIGH),
            },
            ..Socket::fresh()
        });
        assert_eq!(k.ephemeral_port(), EPHEMERAL_HIGH - 1, "even");
        assert_eq!(k.ephemeral_port(), EPHEMERAL_LOW, "then it wraps");
        assert_eq!(k.ephemeral_port(), EPHEMERAL_LOW + 2);
    }

    #[test]
    fn demux_prefers_the_connection_over_the_listener() {
        let mut k = kernel();
        let local = Endpoint::new(k.ip, 8080);
        let peer = Endpoint::new(Ipv4Addr::new(10, 0, 0, 9), 40000);
        let l = k.insert(Socket {
            opts: SockOpts::default(),
            fd: None,
            kind: SocketKind::Listener(Listener {
                local,
                backlog: 1,
                syn_queue: vec![],
                accept_queue: vec![],
                last_cookie: None,
            }),
        });
        assert_eq!(k.demux(local, peer), Some(l));
        let t = TcpSocket::new(local, peer, SeqNumber(1), (8, 8), &TcpConfig::default());
        let c = k.insert(Socket {
            kind: SocketKind::Stream(Box::new(t)),
            ..Socket::fresh()
        });
        assert_eq!(k.demux(local, peer), Some(c));
        let other = Endpoint::new(Ipv4Addr::new(10, 0, 0, 9), 40001);
        assert_eq!(k.demux(local, other), Some(l));
        assert_eq!(k.demux(Endpoint::new(k.ip, 9), peer), None);
    }
}
