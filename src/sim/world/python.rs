//! Python programs on the simulated kernel. Each host that runs a Python
//! program has one [`Interp`] (its process's interpreter); each of its
//! Python threads is a [`Thread`] of the world that the scheduler steps one
//! statement at a time. Every call the interpreter makes into the OS
//! ([`OsCall`]) becomes the syscall of the thread that made it, at the line
//! it was on, so the code panel's cursor, the thread lanes and the kernel's
//! buffers move together.
//!
//! A call that cannot finish yet blocks the thread in the kernel; the
//! interpreter stays exactly at that call and makes it again when the
//! thread is woken ([`super::syscalls`] recognises the retry).

use super::*;
use crate::sim::os::process::PythonStart;
use crate::sim::python::{engine, Blocker, Os, OsCall, OsErr, OsReply, OsValue, Step, Stream};

/// The `Os` a host's interpreter calls into: the world, seen from `host`.
struct HostOs<'w> {
    w: &'w mut World,
    host: HostId,
    /// The process (its slot on the host).
    proc: usize,
    /// The children this step forked (their slots): each gets its copy of
    /// the interpreter once the step is over.
    forked: Vec<usize>,
}

impl World {
    /// Starts a host's Python program: its interpreter, and its main thread
    /// (the world's thread `main`).
    pub(super) fn start_python(
        &mut self,
        h: HostId,
        script: &Script,
        args: &[String],
        main: ThreadId,
    ) {
        let mut argv = vec![script.file.clone()];
        argv.extend(args.iter().cloned());
        let proc = &mut self.host_mut(h).procs[0];
        proc.python = None;
        proc.python_to_start = Some(Box::new(PythonStart {
            file: script.file.clone(),
            source: script.source.clone(),
            argv,
        }));
        proc.py_threads = vec![main];
    }

    /// Runs one statement of a Python thread.
    pub(crate) fn run_python(&mut self, tid: ThreadId, ix: u32) -> Flow {
        let (h, p) = (self.thread(tid).host, self.thread(tid).proc);
        let proc = &mut self.host_mut(h).procs[p];
        if let Some(start) = proc.python_to_start.take() {
            let Some(make) = engine::loaded() else {
                // The app replays nothing before the interpreter has
                // arrived; should a step come first, the program says so.
                return Flow::Exit(ThreadEnd::Exception {
                    kind: "RuntimeError".into(),
                    message: engine::LoadError.to_string(),
                });
            };
            let argv: Vec<&str> = start.argv.iter().map(String::as_str).collect();
            proc.python = Some(make(&start.file, &start.source, &argv));
        }
        let Some(mut py) = self.host_mut(h).procs[p].python.take() else {
            return Flow::Exit(ThreadEnd::Returned);
        };
        let before = self.log.events.len();
        let mut os = HostOs {
            w: self,
            host: h,
            proc: p,
            forked: Vec::new(),
        };
        let step = py.step(ix, &mut os);
        for child in std::mem::take(&mut os.forked) {
            self.host_mut(h).procs[child].python = py.take_forked();
        }
        self.host_mut(h).procs[p].python = Some(py);
        // Another thread of the process ran: a lock it held may be free.
        self.wake_lock_waiters(h, tid);
        match step {
            Step::Ran { line } => {
                self.thread_mut(tid).line = Some(line);
                if self.log.events.len() == before {
                    let code = self.source_line(h, line);
                    self.log_at_line(tid, line, EventKind::Ran { code });
                }
                Flow::Next
            }
            Step::Blocked { line, on } => {
                self.thread_mut(tid).line = Some(line);
                if on == Blocker::Lock {
                    // Not a syscall: the lock is the interpreter's. The
                    // thread tries again after another thread has run.
                    self.thread_mut(tid).lock_wait = true;
                    let _: Sys<()> =
                        self.block(tid, Call::LockAcquire, None, BlockReason::LockHeld);
                }
                Flow::Blocked
            }
            Step::Exited { uncaught } => {
                self.flush_stdout(h, tid);
                Flow::Exit(match uncaught {
                    None => ThreadEnd::Returned,
                    Some(u) => ThreadEnd::Exception {
                        kind: u.kind,
                        message: u.message,
                    },
                })
            }
        }
    }

    /// The text of a line of the host's program.
    fn source_line(&self, h: HostId, line: u32) -> String {
        self.host(h)
            .code
            .as_ref()
            .and_then(|c| c.source.lines().nth(line.saturating_sub(1) as usize))
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// Threads of `h` waiting for a lock try again, now that `ran` has run.
    fn wake_lock_waiters(&mut self, h: HostId, ran: ThreadId) {
        let at = self.now + self.config.cpu;
        let p = self.thread(ran).proc;
        let waiting: Vec<ThreadId> = self
            .threads
            .iter()
            .filter(|t| t.host == h && t.proc == p && t.id != ran && t.lock_wait && t.is_alive())
            .map(|t| t.id)
            .collect();
        for t in waiting {
            self.thread_mut(t).lock_wait = false;
            self.schedule_run(t, at);
        }
    }

    /// Text a program wrote to its terminal: every finished line is a
    /// console event at the writer's line; the rest waits for its newline.
    fn write_terminal(&mut self, tid: ThreadId, text: &str, stderr: bool) {
        let h = self.thread(tid).host;
        let line = self.thread(tid).line.unwrap_or(0);
        let mut pending = std::mem::take(&mut self.host_mut(h).terminal);
        pending.push_str(text);
        while let Some(i) = pending.find('\n') {
            let rest = pending.split_off(i + 1);
            pending.pop();
            let done = std::mem::replace(&mut pending, rest);
            self.log_at_line(tid, line, EventKind::Console { line: done, stderr });
        }
        self.host_mut(h).terminal = pending;
    }

    /// A line left without its newline is shown when its thread ends.
    fn flush_stdout(&mut self, h: HostId, tid: ThreadId) {
        if !self.host(h).terminal.is_empty() {
            self.write_terminal(tid, "\n", false);
        }
    }

    /// `getpeername()` (`peer`) or `getsockname()`: the socket's remote or
    /// local address. An unbound socket's local address is 0.0.0.0:0, a
    /// bound or listening one's 0.0.0.0:port (bound to every address).
    fn socket_name(&self, tid: ThreadId, fd: Fd, peer: bool) -> Option<Endpoint> {
        let h = self.thread(tid).host;
        let sock = self.kernel(h).get(self.fd_sock(tid, fd)?)?;
        let any = |port| Some(Endpoint::new(Ipv4Addr::UNSPECIFIED, port));
        match (&sock.kind, peer) {
            (SocketKind::Stream(t), true) if t.is_synchronized() => Some(t.remote()),
            (SocketKind::Stream(t), false) => Some(t.local()),
            (_, true) => None,
            (SocketKind::Fresh { port }, false) => any(port.unwrap_or(0)),
            (SocketKind::Listener(l), false) => any(l.local.port),
        }
    }

    /// The world thread behind interpreter thread `ix` of process `p` of host `h`.
    fn py_thread(&self, (h, p): (HostId, usize), ix: u32) -> Option<ThreadId> {
        self.host(h).procs[p].py_threads.get(ix as usize).copied()
    }

    /// `Thread.start()` of interpreter thread `ix`.
    fn start_py_thread(&mut self, parent: ThreadId, ix: u32, name: String, daemon: bool) {
        let (h, p) = (self.thread(parent).host, self.thread(parent).proc);
        let at = self.now + self.config.cpu;
        let tid = self.new_thread((h, p), name, daemon, false, Program::Python(ix), at);
        let host = &mut self.host_mut(h).procs[p];
        if host.py_threads.len() <= ix as usize {
            host.py_threads.resize(ix as usize + 1, tid);
        }
        host.py_threads[ix as usize] = tid;
        // `Thread.start()` returns only once the new thread has started
        // (CPython waits for its `_started` event): it is logged now, so a
        // main thread that ends right after cannot outrun it.
        self.mark_started(tid);
    }

    /// A name or dotted address as `connect`/`gethostbyname` see it.
    fn resolve(&self, name: &str) -> Option<Ipv4Addr> {
        if let Ok(ip) = name.parse::<Ipv4Addr>() {
            return Some(ip);
        }
        let http = self.config.http.as_ref();
        if http.is_some_and(|s| s.host.eq_ignore_ascii_case(name)) {
            return Some(host_ip(HostId::SERVER));
        }
        match name {
            "localhost" => Some(Ipv4Addr::LOCALHOST),
            _ => self.hosts.iter().find(|h| h.name == name).map(|h| h.ip),
        }
    }
}

/// A syscall's outcome as the interpreter takes it.
fn reply<T>(r: Sys<T>, done: impl FnOnce(T) -> OsValue) -> OsReply {
    match r {
        Sys::Ready(v) => OsReply::Done(done(v)),
        Sys::Blocked => OsReply::Blocked,
        Sys::Failed(e) => OsReply::Failed(os_err(e)),
    }
}

fn os_err(e: SysError) -> OsErr {
    match e {
        SysError::SocketTimeout => OsErr::Timeout,
        e => OsErr::Errno(e.errno()),
    }
}

fn fd_of(fd: i32) -> Fd {
    Fd::try_from(fd).unwrap_or(Fd::MAX)
}

fn fds_of(fds: &[i32]) -> Vec<Fd> {
    fds.iter().map(|&f| fd_of(f)).collect()
}

impl Os for HostOs<'_> {
    fn call(&mut self, ix: u32, line: u32, call: OsCall) -> OsReply {
        let w = &mut *self.w;
        let h = self.host;
        let p = self.proc;
        let Some(tid) = w.py_thread((h, p), ix) else {
            return OsReply::Failed(OsErr::Errno(3));
        };
        w.thread_mut(tid).line = Some(line);
        match call {
            OsCall::Write { stream, text } => {
                w.write_terminal(tid, &text, stream == Stream::Stderr);
                OsReply::Done(OsValue::None)
            }
            OsCall::Input { prompt } => {
                if !prompt.is_empty() && !w.thread(tid).in_call {
                    w.write_terminal(tid, &prompt, false);
                }
                let r = w.sys_input(tid, line);
                if let Sys::Ready(text) = &r {
                    // The terminal echoes what was typed, and the newline.
                    let typed = format!("{text}\n");
                    w.write_terminal(tid, &typed, false);
                }
                reply(r, OsValue::Str)
            }
            OsCall::Sleep { micros } => reply(
                w.sys_sleep(tid, line, Duration::from_micros(micros)),
                |_| OsValue::None,
            ),
            OsCall::Monotonic => OsReply::Done(OsValue::Int(w.now.total_micros() as i64)),
            OsCall::StartThread {
                thread,
                name,
                daemon,
            } => {
                w.start_py_thread(tid, thread, name, daemon);
                OsReply::Done(OsValue::None)
            }
            OsCall::Join { thread, timeout } => {
                let Some(target) = w.py_thread((h, p), thread) else {
                    return OsReply::Done(OsValue::None);
                };
                reply(
                    w.sys_join(tid, line, target, timeout.map(Duration::from_micros)),
                    |_| OsValue::None,
                )
            }
            OsCall::Socket { .. } => OsReply::Done(OsValue::Int(w.sys_socket(tid, line) as i64)),
            OsCall::Setsockopt {
                fd,
                level,
                opt,
                value,
            } => {
                w.sys_setsockopt(tid, line, fd_of(fd), (level, opt, value));
                OsReply::Done(OsValue::None)
            }
            OsCall::Bind { fd, host, port } => {
                let addr = match host.as_str() {
                    "" => None,
                    name => match w.resolve(name) {
                        Some(ip) => Some(ip),
                        None => {
                            return OsReply::Failed(OsErr::Gai(
                                -2,
                                "Name or service not known".into(),
                            ))
                        }
                    },
                };
                reply(w.sys_bind(tid, line, fd_of(fd), addr, port), |_| {
                    OsValue::None
                })
            }
            OsCall::Listen { fd, backlog } => reply(
                w.sys_listen(tid, line, fd_of(fd), backlog.max(0) as u32),
                |_| OsValue::None,
            ),
            OsCall::Accept { fd } => reply(w.sys_accept(tid, line, fd_of(fd)), |(fd, peer)| {
                OsValue::Accepted {
                    fd: fd as i32,
                    host: peer.ip.to_string(),
                    port: peer.port,
                }
            }),
            OsCall::Connect { fd, host, port } => {
                let Some(ip) = w.resolve(&host) else {
                    return OsReply::Failed(OsErr::Gai(-2, "Name or service not known".into()));
                };
                reply(
                    w.sys_connect(tid, line, fd_of(fd), Endpoint::new(ip, port)),
                    |_| OsValue::None,
                )
            }
            OsCall::Send { fd, data } => {
                reply(w.sys_send(tid, line, fd_of(fd), &data, false), |n| {
                    OsValue::Int(n as i64)
                })
            }
            OsCall::Sendall { fd, data } => {
                reply(w.sys_send(tid, line, fd_of(fd), &data, true), |_| {
                    OsValue::None
                })
            }
            OsCall::Recv { fd, max } => {
                reply(w.sys_recv(tid, line, fd_of(fd), max), OsValue::Bytes)
            }
            OsCall::Shutdown { fd, how } => reply(
                w.sys_shutdown(tid, line, fd_of(fd), how.clamp(0, 2) as u8),
                |_| OsValue::None,
            ),
            OsCall::Close { fd } => {
                w.sys_close(tid, line, fd_of(fd));
                OsReply::Done(OsValue::None)
            }
            OsCall::Getpeername { fd } => match w.socket_name(tid, fd_of(fd), true) {
                Some(e) => OsReply::Done(OsValue::Addr(e.ip.to_string(), e.port)),
                None => OsReply::Failed(OsErr::Errno(SysError::NotConnected.errno())),
            },
            OsCall::Getsockname { fd } => match w.socket_name(tid, fd_of(fd), false) {
                Some(e) => OsReply::Done(OsValue::Addr(e.ip.to_string(), e.port)),
                None => OsReply::Failed(OsErr::Errno(SysError::BadFd.errno())),
            },
            OsCall::Settimeout { fd, timeout } => {
                w.set_timeout(tid, fd_of(fd), timeout.map(Duration::from_micros));
                OsReply::Done(OsValue::None)
            }
            OsCall::Setblocking { fd, blocking } => {
                w.sys_setblocking(tid, line, fd_of(fd), blocking);
                OsReply::Done(OsValue::None)
            }
            OsCall::GetHostByName { name } => reply(w.sys_gethostbyname(tid, line, &name), |ip| {
                OsValue::Str(ip.to_string())
            }),
            OsCall::Open { path, .. } => {
                use crate::http::FileSource;
                let file =
                    crate::http::resolve_target(&format!("/{}", path.trim_start_matches("./")))
                        .ok()
                        .and_then(|p| w.host(h).files.read(&p).ok());
                match file {
                    Some(bytes) => OsReply::Done(OsValue::Bytes(bytes.to_vec())),
                    None => OsReply::Failed(OsErr::Errno(SysError::NoSuchFile.errno())),
                }
            }
            OsCall::ReadSite { names } => {
                use crate::http::FileSource;
                let files = &w.host(h).files;
                let found = names
                    .into_iter()
                    .filter_map(|name| {
                        let path = crate::http::resolve_target(&format!("/{name}")).ok()?;
                        let bytes = files.read(&path).ok()?;
                        Some((name, bytes.to_vec()))
                    })
                    .collect();
                OsReply::Done(OsValue::Files(found))
            }
            OsCall::HttpNote(note) => {
                w.http_note(tid, line, note);
                OsReply::Done(OsValue::None)
            }
            OsCall::Select {
                read,
                write,
                timeout,
                epoll,
            } => {
                let (read, write) = (fds_of(&read), fds_of(&write));
                let timeout = timeout.map(Duration::from_micros);
                reply(
                    w.sys_select(tid, line, (&read, &write), timeout, epoll),
                    |(r, w)| OsValue::Ready {
                        read: r.into_iter().map(|f| f as i32).collect(),
                        write: w.into_iter().map(|f| f as i32).collect(),
                    },
                )
            }
            OsCall::EpollCreate => {
                OsReply::Done(OsValue::Int(w.sys_epoll_create(tid, line) as i64))
            }
            OsCall::EpollCtl {
                epfd,
                op,
                fd,
                read,
                write,
            } => reply(
                w.sys_epoll_ctl(tid, line, fd_of(epfd), (op, fd_of(fd)), (read, write)),
                |_| OsValue::None,
            ),
            OsCall::Getpid => OsReply::Done(OsValue::Int(i64::from(w.host(h).procs[p].pid))),
            OsCall::Getppid => OsReply::Done(OsValue::Int(i64::from(w.host(h).procs[p].ppid))),
            OsCall::Exit { code } => {
                w.flush_stdout(h, tid);
                w.end_proc(h, p, ThreadEnd::Killed, Some(code));
                OsReply::Blocked
            }
            OsCall::Fork {
                thread,
                name,
                daemon,
            } => {
                let (pid, child) = w.sys_fork(tid, line, thread, name, daemon);
                self.forked.push(child);
                OsReply::Done(OsValue::Int(i64::from(pid)))
            }
            OsCall::Waitpid { pid, block, name } => {
                match w.sys_waitpid(tid, line, pid, block, name) {
                    Sys::Ready(Some(code)) => OsReply::Done(OsValue::Int(i64::from(code))),
                    Sys::Ready(None) => OsReply::Done(OsValue::None),
                    Sys::Blocked => OsReply::Blocked,
                    Sys::Failed(e) => OsReply::Failed(os_err(e)),
                }
            }
        }
    }
}
