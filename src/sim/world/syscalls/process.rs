//! Calls about threads and processes rather than sockets: `sleep`,
//! `input`, the mock browser's wait for a URL, `join`, `fork`, `waitpid`.

use super::super::*;

impl World {
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

impl World {
    /// `fork()`: a new process on the same host, child of `tid`'s. Its fd
    /// table is a copy of the parent's (each fd naming the same socket);
    /// its first thread runs interpreter thread `ix` of the copy of the
    /// parent's interpreter the caller hands over after the step
    /// (`os.fork()`: the thread that forked; `Process.start()`: a new one
    /// that calls the target). Returns the child's PID and slot.
    pub(crate) fn sys_fork(
        &mut self,
        tid: ThreadId,
        line: u32,
        ix: u32,
        name: Option<String>,
        daemon: Option<bool>,
    ) -> (u32, usize) {
        let call = Call::Fork { name: name.clone() };
        self.enter(tid, line, &call, None);
        let (h, p) = (self.thread(tid).host, self.thread(tid).proc);
        let host = self.host_mut(h);
        let child = host.procs.len();
        let pid = crate::sim::os::process::first_pid(h.0) + child as u32;
        let mut proc = Process::new(pid, host.procs[p].pid);
        proc.name = name.clone();
        proc.daemon = daemon;
        host.procs.push(proc);
        self.kernel_mut(h).fork_fds(p, child);
        let at = self.now + self.config.cpu;
        let tname = match &name {
            Some(_) => "MainThread".to_string(),
            None => self.thread(tid).name.clone(),
        };
        let ctid = self.new_thread((h, child), tname, false, true, Program::Python(ix), at);
        let threads = &mut self.host_mut(h).procs[child].py_threads;
        threads.resize(ix as usize + 1, ctid);
        threads[ix as usize] = ctid;
        // The child is a copy of a running thread: it begins where its
        // parent was (its start is this event, not a ThreadStarted).
        self.thread_mut(ctid).started = true;
        self.thread_mut(ctid).line = Some(line);
        let ppid = self.host(h).procs[p].pid;
        let fds = self.kernel(h).open_fds(child);
        self.log.push(
            Origin::thread(h, ctid).at(Some(line)),
            EventKind::ProcessStarted {
                pid,
                ppid,
                name,
                fds,
            },
        );
        let _ = self.finish(tid, call, None, Ret::Forked { pid }, ());
        (pid, child)
    }

    /// `waitpid(pid)` / `Process.join()`: the child's exit code once it
    /// has ended (blocks until then when `block`; otherwise `None` while it
    /// runs). A pid that is not a child of the caller's process: ECHILD.
    pub(crate) fn sys_waitpid(
        &mut self,
        tid: ThreadId,
        line: u32,
        pid: i64,
        block: bool,
        name: Option<String>,
    ) -> Sys<Option<i32>> {
        let (h, p) = (self.thread(tid).host, self.thread(tid).proc);
        let me = self.host(h).procs[p].pid;
        let child = self
            .host(h)
            .procs
            .iter()
            .find(|c| i64::from(c.pid) == pid && c.ppid == me && !c.reaped)
            .map(|c| (c.pid, c.alive, c.exit_code));
        let Some((cpid, alive, code)) = child else {
            return Sys::Failed(SysError::NoChild);
        };
        let reap = |w: &mut World| {
            if let Some(c) = w.host_mut(h).procs.iter_mut().find(|c| c.pid == cpid) {
                c.reaped = true;
            }
        };
        if !block {
            if !alive {
                reap(self);
            }
            return Sys::Ready(if alive { None } else { code });
        }
        let call = Call::Waitpid { pid: cpid, name };
        self.enter(tid, line, &call, None);
        if alive {
            return self.block(tid, call, None, BlockReason::ChildRunning { pid: cpid });
        }
        let code = code.unwrap_or(0);
        reap(self);
        self.finish(tid, call, None, Ret::Reaped { pid: cpid, code }, Some(code))
    }
}
