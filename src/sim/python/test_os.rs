//! A small host for running a program to its end outside the simulation:
//! for tests, benchmarks and the differential suite against CPython.
//!
//! It collects stdout and stderr, runs the started threads round-robin (one
//! statement each per turn) until every non-daemon thread has ended, and
//! keeps a fake clock that jumps to the next sleep's deadline when every
//! thread waits. Sockets work on a loopback of its own: a `connect` to a
//! port some socket of the program listens on pairs two sockets, and bytes
//! sent on one are received on the other; anything else is refused. A
//! non-blocking socket (`setblocking(False)`) raises EAGAIN instead of
//! waiting, and its `connect` EINPROGRESS (the pair is made at once, as on
//! Linux's loopback); `select` sees a listening socket readable when a
//! connection waits, a connection readable when bytes, the peer's close or
//! a reset wait, and writable while connected (its buffers are unbounded).

use super::os::{Os, OsCall, OsErr, OsReply, OsValue, Stream, ThreadIx};
use super::{Interp, Step};
use std::collections::VecDeque;

#[derive(Debug, Default, Clone)]
struct Sock {
    port: Option<u16>,
    listening: bool,
    queue: VecDeque<i32>,
    peer: Option<i32>,
    rx: VecDeque<u8>,
    peer_closed: bool,
    /// the peer closed with unread data: it sent RST
    reset: bool,
    closed: bool,
    timeout: Option<u64>,
    /// an epoll instance's fd, not a socket
    epoll: bool,
    /// a non-blocking connect answered EINPROGRESS; the next one succeeds
    connecting: bool,
}

/// What `select` finds of one fd: (readable, writable).
fn ready(s: &Sock) -> (bool, bool) {
    if s.epoll {
        (false, false)
    } else if s.listening {
        (!s.queue.is_empty(), false)
    } else if s.peer.is_none() {
        // not connected: a hang-up, readable and writable
        (true, true)
    } else {
        (!s.rx.is_empty() || s.peer_closed || s.reset, true)
    }
}

#[derive(Debug, Default, Clone)]
pub struct TestOs {
    pub stdout: String,
    pub stderr: String,
    /// what `input()` reads, line by line
    pub stdin: VecDeque<String>,
    /// files `open()` can read: (path, contents)
    pub files: Vec<(String, Vec<u8>)>,
    /// the fake clock, microseconds
    pub clock: u64,
    /// every call made, in order (thread, line, call)
    pub log: Vec<(ThreadIx, u32, OsCall)>,
    /// fds closed by the host's Close calls, in order
    pub closed: Vec<i32>,
    pub exit: Option<i32>,
    runnable: Vec<ThreadIx>,
    exited: Vec<ThreadIx>,
    /// (thread, deadline) of sleeps, joins with a timeout, socket timeouts
    deadlines: Vec<(ThreadIx, u64)>,
    socks: Vec<(i32, Sock)>,
    next_fd: i32,
    next_port: u16,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// every non-daemon thread ended
    Finished,
    /// the step budget ran out
    OutOfSteps,
    /// every thread waits and nothing will wake them
    Deadlock,
}

impl TestOs {
    pub fn new() -> Self {
        TestOs {
            next_fd: 3,
            next_port: 40000,
            ..Default::default()
        }
    }

    fn sock(&mut self, fd: i32) -> Option<&mut Sock> {
        self.socks
            .iter_mut()
            .find(|(f, _)| *f == fd)
            .map(|(_, s)| s)
    }

    fn deadline(&mut self, thread: ThreadIx, after: u64) -> bool {
        match self.deadlines.iter().position(|(t, _)| *t == thread) {
            Some(i) => {
                if self.deadlines.get(i).is_some_and(|(_, d)| self.clock >= *d) {
                    self.deadlines.remove(i);
                    true
                } else {
                    false
                }
            }
            None => {
                let d = self.clock.saturating_add(after);
                self.deadlines.push((thread, d));
                false
            }
        }
    }

    fn clear_deadline(&mut self, thread: ThreadIx) {
        self.deadlines.retain(|(t, _)| *t != thread);
    }

    /// Runs a program until its non-daemon threads end (or `max_steps`).
    pub fn run(&mut self, py: &mut Interp, max_steps: usize) -> RunEnd {
        if self.runnable.is_empty() {
            self.runnable = vec![0];
        }
        let mut steps = 0;
        loop {
            let mut progress = false;
            let threads = self.runnable.clone();
            for &t in &threads {
                if self.exited.contains(&t) {
                    continue;
                }
                if steps >= max_steps {
                    return RunEnd::OutOfSteps;
                }
                steps += 1;
                match py.step(t, self) {
                    Step::Ran { .. } => progress = true,
                    Step::Blocked { .. } => {}
                    Step::Exited { .. } => {
                        self.exited.push(t);
                        progress = true;
                    }
                }
                if self.exit.is_some() {
                    return RunEnd::Finished;
                }
            }
            let main_done = self.exited.contains(&0);
            let live: Vec<ThreadIx> = self
                .runnable
                .iter()
                .copied()
                .filter(|t| !self.exited.contains(t))
                .collect();
            if main_done && live.iter().all(|t| py.is_daemon(*t)) {
                return RunEnd::Finished;
            }
            if !progress {
                // everyone waits: jump the clock to the next deadline
                match self.deadlines.iter().map(|(_, d)| *d).min() {
                    Some(d) if d > self.clock => self.clock = d,
                    Some(_) => {}
                    None => return RunEnd::Deadlock,
                }
            }
        }
    }
}

impl Os for TestOs {
    fn call(&mut self, thread: ThreadIx, line: u32, call: OsCall) -> OsReply {
        self.log.push((thread, line, call.clone()));
        let done = |v| OsReply::Done(v);
        let err = |n| OsReply::Failed(OsErr::Errno(n));
        match call {
            OsCall::Write { stream, text } => {
                match stream {
                    Stream::Stdout => self.stdout.push_str(&text),
                    Stream::Stderr => self.stderr.push_str(&text),
                }
                done(OsValue::None)
            }
            OsCall::Input { prompt } => match self.stdin.pop_front() {
                Some(l) => {
                    self.stdout.push_str(&prompt);
                    done(OsValue::Str(l))
                }
                None => {
                    self.stdout.push_str(&prompt);
                    OsReply::Failed(OsErr::Eof)
                }
            },
            OsCall::Sleep { micros } => {
                if micros == 0 || self.deadline(thread, micros) {
                    done(OsValue::None)
                } else {
                    OsReply::Blocked
                }
            }
            OsCall::Monotonic => done(OsValue::Int(self.clock as i64)),
            OsCall::StartThread { thread: t, .. } => {
                if !self.runnable.contains(&t) {
                    self.runnable.push(t);
                }
                done(OsValue::None)
            }
            OsCall::Join { thread: t, timeout } => {
                if self.exited.contains(&t) {
                    self.clear_deadline(thread);
                    return done(OsValue::None);
                }
                match timeout {
                    Some(us) if self.deadline(thread, us) => done(OsValue::None),
                    _ => OsReply::Blocked,
                }
            }
            OsCall::Socket { .. } => {
                let fd = self.next_fd;
                self.next_fd = self.next_fd.wrapping_add(1);
                self.socks.push((fd, Sock::default()));
                done(OsValue::Int(fd as i64))
            }
            OsCall::Setsockopt { .. } => done(OsValue::None),
            OsCall::Setblocking { fd, blocking } => {
                if let Some(s) = self.sock(fd) {
                    s.timeout = if blocking { None } else { Some(0) };
                }
                done(OsValue::None)
            }
            OsCall::Settimeout { fd, timeout } => {
                if let Some(s) = self.sock(fd) {
                    s.timeout = timeout;
                }
                done(OsValue::None)
            }
            OsCall::Bind { fd, port, .. } => {
                let taken = port != 0
                    && self
                        .socks
                        .iter()
                        .any(|(f, s)| *f != fd && s.port == Some(port) && !s.closed);
                if taken {
                    return err(98);
                }
                let port = if port == 0 {
                    self.next_port = self.next_port.wrapping_add(1).max(40000);
                    self.next_port
                } else {
                    port
                };
                match self.sock(fd) {
                    Some(s) => {
                        s.port = Some(port);
                        done(OsValue::None)
                    }
                    None => err(9),
                }
            }
            OsCall::Listen { fd, .. } => match self.sock(fd) {
                Some(s) => {
                    s.listening = true;
                    done(OsValue::None)
                }
                None => err(9),
            },
            OsCall::Accept { fd } => {
                let (next, timeout) = match self.sock(fd) {
                    Some(s) if s.listening => (s.queue.pop_front(), s.timeout),
                    Some(_) => return err(22),
                    None => return err(9),
                };
                match next {
                    Some(nfd) => {
                        self.clear_deadline(thread);
                        let peer_port = self
                            .sock(nfd)
                            .and_then(|s| s.peer)
                            .and_then(|p| {
                                self.socks
                                    .iter()
                                    .find(|(f, _)| *f == p)
                                    .and_then(|(_, s)| s.port)
                            })
                            .unwrap_or(0);
                        done(OsValue::Accepted {
                            fd: nfd,
                            host: "127.0.0.1".into(),
                            port: peer_port,
                        })
                    }
                    None => match timeout {
                        Some(0) => err(11),
                        Some(us) if self.deadline(thread, us) => OsReply::Failed(OsErr::Timeout),
                        _ => OsReply::Blocked,
                    },
                }
            }
            OsCall::Connect { fd, .. }
                if self
                    .sock(fd)
                    .is_some_and(|s| s.peer.is_some() || s.listening) =>
            {
                match self.sock(fd) {
                    Some(s) if s.connecting => {
                        s.connecting = false;
                        done(OsValue::None)
                    }
                    _ => err(106),
                }
            }
            OsCall::Connect { fd, host, port } => {
                let local = matches!(host.as_str(), "127.0.0.1" | "localhost" | "0.0.0.0" | "");
                let server = self
                    .socks
                    .iter()
                    .find(|(_, s)| s.listening && s.port == Some(port) && !s.closed)
                    .map(|(f, _)| *f);
                let Some(server) = server.filter(|_| local) else {
                    return err(111);
                };
                let nfd = self.next_fd;
                self.next_fd = self.next_fd.wrapping_add(1);
                self.next_port = self.next_port.wrapping_add(1).max(40000);
                let cport = self.next_port;
                self.socks.push((
                    nfd,
                    Sock {
                        port: Some(port),
                        peer: Some(fd),
                        ..Default::default()
                    },
                ));
                if let Some(s) = self.sock(fd) {
                    s.peer = Some(nfd);
                    s.port = Some(cport);
                }
                if let Some(s) = self.sock(server) {
                    s.queue.push_back(nfd);
                }
                match self.sock(fd) {
                    Some(s) if s.timeout == Some(0) => {
                        s.connecting = true;
                        err(115)
                    }
                    _ => done(OsValue::None),
                }
            }
            OsCall::Send { fd, data } | OsCall::Sendall { fd, data } => {
                let peer = match self.sock(fd) {
                    Some(s) if s.reset => return err(104),
                    Some(s) if s.peer_closed => return err(32),
                    Some(s) => s.peer,
                    None => return err(9),
                };
                // Linux: send on an unconnected stream socket is EPIPE
                let Some(p) = peer else {
                    return err(32);
                };
                let n = data.len();
                match self.sock(p) {
                    Some(ps) if !ps.closed => ps.rx.extend(data),
                    _ => return err(32),
                }
                done(OsValue::Int(n as i64))
            }
            OsCall::Recv { fd, max } => {
                let (avail, eof, timeout) = match self.sock(fd) {
                    Some(s) if s.reset => {
                        s.reset = false;
                        return err(104);
                    }
                    Some(s) => (s.rx.len(), s.peer_closed, s.timeout),
                    None => return err(9),
                };
                if avail > 0 || max == 0 {
                    self.clear_deadline(thread);
                    let s = match self.sock(fd) {
                        Some(s) => s,
                        None => return err(9),
                    };
                    let k = max.min(s.rx.len());
                    let out: Vec<u8> = s.rx.drain(..k).collect();
                    return done(OsValue::Bytes(out));
                }
                if eof {
                    self.clear_deadline(thread);
                    return done(OsValue::Bytes(Vec::new()));
                }
                match timeout {
                    Some(0) => err(11),
                    Some(us) if self.deadline(thread, us) => OsReply::Failed(OsErr::Timeout),
                    _ => OsReply::Blocked,
                }
            }
            OsCall::Shutdown { fd, how } => {
                let peer = self.sock(fd).and_then(|s| s.peer);
                if how >= 1 {
                    if let Some(p) = peer.and_then(|p| self.sock(p)) {
                        p.peer_closed = true;
                    }
                }
                done(OsValue::None)
            }
            OsCall::Close { fd } => {
                self.closed.push(fd);
                // closing with unread data sends RST (as Linux does)
                let (peer, unread) = match self.sock(fd) {
                    Some(s) => {
                        s.closed = true;
                        s.listening = false;
                        (s.peer, !s.rx.is_empty())
                    }
                    None => (None, false),
                };
                if let Some(p) = peer.and_then(|p| self.sock(p)) {
                    p.peer_closed = true;
                    if unread {
                        p.reset = true;
                        p.rx.clear();
                    }
                }
                done(OsValue::None)
            }
            OsCall::Getpeername { fd } => {
                let peer = self.sock(fd).and_then(|s| s.peer);
                match peer
                    .and_then(|p| self.socks.iter().find(|(f, _)| *f == p))
                    .and_then(|(_, s)| s.port)
                {
                    Some(port) => done(OsValue::Addr("127.0.0.1".into(), port)),
                    None => err(107),
                }
            }
            OsCall::Getsockname { fd } => match self.sock(fd) {
                Some(s) => done(OsValue::Addr(
                    if s.port.is_some() {
                        "127.0.0.1"
                    } else {
                        "0.0.0.0"
                    }
                    .into(),
                    s.port.unwrap_or(0),
                )),
                None => err(9),
            },
            OsCall::GetHostByName { name } => {
                if name == "localhost" {
                    return done(OsValue::Str("127.0.0.1".into()));
                }
                let dotted = name.split('.').count() == 4
                    && name.split('.').all(|p| p.parse::<u8>().is_ok());
                if dotted {
                    done(OsValue::Str(name))
                } else {
                    OsReply::Failed(OsErr::Gai(-2, "Name or service not known".into()))
                }
            }
            OsCall::Open { path, .. } => match self
                .files
                .iter()
                .find(|(p, _)| *p == path || Some(p.as_str()) == path.strip_prefix("./"))
            {
                Some((_, data)) => done(OsValue::Bytes(data.clone())),
                None => err(2),
            },
            OsCall::Getpid => done(OsValue::Int(4242)),
            OsCall::Getppid => done(OsValue::Int(4241)),
            // One process only: the world's hosts fork (`sim::world`).
            OsCall::Fork { .. } => err(38),
            OsCall::Waitpid { .. } => err(10),
            OsCall::Exit { code } => {
                self.exit = Some(code);
                done(OsValue::None)
            }
            OsCall::ReadSite { names } => done(OsValue::Files(
                names
                    .into_iter()
                    .filter_map(|n| {
                        let (_, data) = self.files.iter().find(|(p, _)| *p == n)?;
                        Some((n, data.clone()))
                    })
                    .collect(),
            )),
            // Kept in `log` with every other call.
            OsCall::HttpNote(_) => done(OsValue::None),
            OsCall::EpollCreate => {
                let fd = self.next_fd;
                self.next_fd = self.next_fd.wrapping_add(1);
                let epoll = Sock {
                    epoll: true,
                    ..Sock::default()
                };
                self.socks.push((fd, epoll));
                done(OsValue::Int(fd as i64))
            }
            OsCall::EpollCtl { epfd, fd, .. } => {
                let open = |os: &mut Self, fd: i32| os.sock(fd).is_some_and(|s| !s.closed);
                if !self.sock(epfd).is_some_and(|s| s.epoll && !s.closed)
                    || (fd >= 3 && !open(self, fd))
                {
                    return err(9);
                }
                done(OsValue::None)
            }
            OsCall::Select {
                read,
                write,
                timeout,
                ..
            } => {
                let (mut r, mut w) = (Vec::new(), Vec::new());
                for (fds, reading) in [(&read, true), (&write, false)] {
                    for &fd in fds {
                        if fd < 3 {
                            continue;
                        }
                        let Some((rd, wr)) = self.sock(fd).filter(|s| !s.closed).map(|s| ready(s))
                        else {
                            return err(9);
                        };
                        let (yes, out) = if reading { (rd, &mut r) } else { (wr, &mut w) };
                        if yes && !out.contains(&fd) {
                            out.push(fd);
                        }
                    }
                }
                let expired = match timeout {
                    Some(0) => true,
                    Some(us) => self.deadline(thread, us),
                    None => false,
                };
                if r.is_empty() && w.is_empty() && !expired {
                    return OsReply::Blocked;
                }
                self.clear_deadline(thread);
                done(OsValue::Ready { read: r, write: w })
            }
        }
    }
}
