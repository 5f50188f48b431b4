//! One thread waiting on many sockets: `select` and the epoll calls.

use super::super::*;

impl World {
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
        let p = self.thread(tid).proc;
        let k = self.kernel(self.thread(tid).host);
        let mut wakers: Vec<SockId> = Vec::new();
        let (mut readable, mut writable): (Vec<Ready>, Vec<Ready>) = (vec![], vec![]);
        let mut bad = false;
        for (fds, reading) in [(read, true), (write, false)] {
            for &fd in fds {
                let sid = match k.fd_entry(p, fd) {
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
        let (h, p) = (self.thread(tid).host, self.thread(tid).proc);
        let fd = self.kernel_mut(h).alloc_epoll_fd(p);
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
        let p = self.thread(tid).proc;
        let k = self.kernel(self.thread(tid).host);
        let error = match (k.fd_entry(p, epfd), k.fd_entry(p, fd)) {
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
}
