//! Threads and processes: running a thread's program one statement at a
//! time, starting threads, a thread's end and its process's exit.

use super::*;

impl World {
    pub(super) fn run_thread(&mut self, tid: ThreadId) {
        let t = self.thread_mut(tid);
        t.scheduled = false;
        if !t.is_alive() {
            return;
        }
        if !t.started {
            self.mark_started(tid);
        }
        let mut program = std::mem::replace(&mut self.thread_mut(tid).program, Program::Taken);
        let flow = program.step(self, tid);
        self.thread_mut(tid).program = program;
        match flow {
            Flow::Next => {
                let at = self.now + self.config.cpu;
                self.thread_mut(tid).state = ThreadState::Running;
                self.schedule_run(tid, at);
            }
            Flow::Blocked => {}
            Flow::Exit(end) => self.thread_exit(tid, end),
        }
    }

    pub(super) fn thread_exit(&mut self, tid: ThreadId, end: ThreadEnd) {
        let t = self.thread_mut(tid);
        if !t.is_alive() {
            return;
        }
        t.state = ThreadState::Exited { end: end.clone() };
        t.blocked_on = None;
        let (h, name) = (t.host, t.name.clone());
        // The exception was raised by a call on that socket, so the fd is
        // still this thread's, not yet reused.
        let local = match end {
            ThreadEnd::Exception { .. } => t.program.local_socket(),
            _ => None,
        };
        self.log
            .push(Origin::thread(h, tid), EventKind::ThreadEnded { name, end });
        if let Some(fd) = local {
            self.close_fd(h, fd);
        }
        self.maybe_exit_process(h);
    }

    /// The process ends when its main thread has ended and no non-daemon
    /// thread is left; its daemon threads end with it, and the kernel closes
    /// every fd it still had open.
    pub(super) fn maybe_exit_process(&mut self, h: HostId) {
        if !self.host(h).process_alive {
            return;
        }
        let on_host = |t: &&Thread| t.host == h;
        let main_done = self
            .threads
            .iter()
            .filter(on_host)
            .any(|t| t.main && !t.is_alive());
        let non_daemon_left = self
            .threads
            .iter()
            .filter(on_host)
            .any(|t| !t.daemon && t.is_alive());
        if !main_done || non_daemon_left {
            return;
        }
        self.end_process(h, ThreadEnd::Killed);
    }

    /// Ends a host's process: every thread still alive is stopped with
    /// `end` (when the main thread ended normally only daemons are left, and
    /// they are `Killed`; a removed client's threads are `Terminated`), and
    /// the kernel closes every fd the process still had open, as for any exit.
    pub(super) fn end_process(&mut self, h: HostId, end: ThreadEnd) {
        let alive: Vec<ThreadId> = self
            .threads
            .iter()
            .filter(|t| t.host == h && t.is_alive())
            .map(|t| t.id)
            .collect();
        for d in alive {
            let t = self.thread_mut(d);
            t.state = ThreadState::Exited { end: end.clone() };
            t.blocked_on = None;
            let name = t.name.clone();
            self.log.push(
                Origin::thread(h, d),
                EventKind::ThreadEnded {
                    name,
                    end: end.clone(),
                },
            );
        }
        self.host_mut(h).process_alive = false;
        let exit = match end {
            ThreadEnd::Terminated => EventKind::ProcessTerminated,
            _ => EventKind::ProcessExited,
        };
        self.log.push(Origin::host(h), exit);
        let fds = self.kernel(h).open_fds();
        for fd in fds {
            self.close_fd(h, fd);
        }
    }

    pub(crate) fn spawn(
        &mut self,
        parent: ThreadId,
        line: u32,
        target: &str,
        daemon: bool,
        program: Program,
    ) {
        let h = self.thread(parent).host;
        self.thread_mut(parent).line = Some(line);
        let host = self.host_mut(h);
        host.handlers_started += 1;
        let name = format!("Thread-{} ({target})", host.handlers_started);
        let now = self.now + self.config.cpu;
        let tid = self.new_thread(h, name, daemon, false, program, now);
        // `Thread.start()` returns only once the new thread has started
        // (CPython waits for its `_started` event): it is logged now, so a
        // main thread that ends right after cannot outrun it.
        self.mark_started(tid);
    }

    /// A thread has started: logged once, when its process's main thread
    /// first runs or when `Thread.start()` starts it.
    pub(super) fn mark_started(&mut self, tid: ThreadId) {
        let t = self.thread_mut(tid);
        t.started = true;
        let (h, name, daemon) = (t.host, t.name.clone(), t.daemon);
        self.log.push(
            Origin::thread(h, tid),
            EventKind::ThreadStarted { name, daemon },
        );
    }

    pub(crate) fn print(&mut self, tid: ThreadId, line: u32, text: String) {
        self.log_at_line(
            tid,
            line,
            EventKind::Console {
                line: text,
                stderr: false,
            },
        );
    }

    /// Moves a thread's cursor to `line` and logs what it did there.
    pub(super) fn log_at_line(&mut self, tid: ThreadId, line: u32, kind: EventKind) {
        let h = self.thread(tid).host;
        self.thread_mut(tid).line = Some(line);
        self.log.push(Origin::thread(h, tid).at(Some(line)), kind);
    }
}
