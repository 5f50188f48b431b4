//! Threads and processes: running a thread's program one statement at a
//! time, starting threads, a thread's end and its process's exit.

use super::*;

/// CPython's switch interval (`sys.getswitchinterval()`): a thread that has
/// held the GIL this long lets a waiting thread run.
const SWITCH_INTERVAL: Duration = Duration::from_millis(5);

/// When a thread that never blocks is pointed out (statements run in a row).
const SPIN_NOTES: [u32; 3] = [1_000, 10_000, 100_000];

impl World {
    pub(super) fn run_thread(&mut self, tid: ThreadId) {
        let t = self.thread_mut(tid);
        t.scheduled = false;
        if !t.is_alive() {
            return;
        }
        let python = matches!(t.program, Program::Python(_));
        if python && !self.take_gil(tid) {
            return;
        }
        if !self.thread(tid).started {
            self.mark_started(tid);
        }
        let mut program = std::mem::replace(&mut self.thread_mut(tid).program, Program::Taken);
        let flow = program.step(self, tid);
        self.thread_mut(tid).program = program;
        match flow {
            Flow::Next => {
                let at = self.now + self.config.cpu;
                let t = self.thread_mut(tid);
                t.state = ThreadState::Running;
                t.busy += 1;
                let (busy, eof_recvs) = (t.busy, t.eof_recvs);
                if python && SPIN_NOTES.contains(&busy) {
                    self.log.push(
                        Origin::thread(self.thread(tid).host, tid),
                        EventKind::Spinning {
                            statements: busy,
                            eof_recvs,
                        },
                    );
                }
                if python && self.switch_due(tid) {
                    self.yield_gil(tid);
                } else {
                    self.schedule_run(tid, at);
                }
            }
            Flow::Blocked => {
                let t = self.thread_mut(tid);
                t.busy = 0;
                t.eof_recvs = 0;
                if python {
                    self.release_gil(tid);
                }
            }
            Flow::Exit(end) => {
                if python {
                    self.release_gil(tid);
                }
                self.thread_exit(tid, end)
            }
        }
    }

    /// The interpreter (the GIL) for a Python thread about to run a
    /// statement: it has it, or takes it if free; otherwise it waits in line
    /// (`Ready`) until the holder blocks, ends or reaches its switch interval.
    fn take_gil(&mut self, tid: ThreadId) -> bool {
        let h = self.thread(tid).host;
        let now = self.now;
        let host = self.host_mut(h);
        match host.gil {
            Some(holder) if holder == tid => true,
            Some(_) => {
                if !host.gil_queue.contains(&tid) {
                    host.gil_queue.push_back(tid);
                }
                self.thread_mut(tid).state = ThreadState::Ready;
                false
            }
            None => {
                host.gil = Some(tid);
                host.gil_since = now;
                host.gil_queue.retain(|t| *t != tid);
                true
            }
        }
    }

    /// A thread that blocks or ends lets go of the GIL: the next in line
    /// takes it.
    fn release_gil(&mut self, tid: ThreadId) {
        let h = self.thread(tid).host;
        let host = self.host_mut(h);
        if host.gil != Some(tid) {
            return;
        }
        host.gil = None;
        self.hand_gil_on(h);
    }

    /// The GIL is free: the first thread waiting for it runs next.
    fn hand_gil_on(&mut self, h: HostId) {
        let at = self.now + self.config.cpu;
        while let Some(next) = self.host_mut(h).gil_queue.pop_front() {
            if self.thread(next).is_alive() {
                self.schedule_run(next, at);
                return;
            }
        }
    }

    /// CPython asks a thread that has held the GIL for the switch interval
    /// (5 ms) to let another one run, if another one is waiting.
    fn switch_due(&self, tid: ThreadId) -> bool {
        let host = self.host(self.thread(tid).host);
        !host.gil_queue.is_empty() && self.now - host.gil_since >= SWITCH_INTERVAL
    }

    /// Gives the GIL to the next waiting thread and waits in line.
    fn yield_gil(&mut self, tid: ThreadId) {
        let h = self.thread(tid).host;
        let host = self.host_mut(h);
        host.gil = None;
        host.gil_queue.push_back(tid);
        self.thread_mut(tid).state = ThreadState::Ready;
        self.hand_gil_on(h);
    }

    /// Threads waiting in `join()` for `tid` try again.
    fn wake_joiners(&mut self, tid: ThreadId) {
        let now = self.now;
        let joiners: Vec<ThreadId> = self
            .threads
            .iter()
            .filter(|t| t.joining == Some(tid) && t.is_alive())
            .map(|t| t.id)
            .collect();
        for j in joiners {
            self.thread_mut(j).joining = None;
            self.schedule_run(j, now);
        }
    }

    pub(super) fn thread_exit(&mut self, tid: ThreadId, end: ThreadEnd) {
        let t = self.thread_mut(tid);
        if !t.is_alive() {
            return;
        }
        t.state = ThreadState::Exited { end: end.clone() };
        t.blocked_on.clear();
        let (h, name, main) = (t.host, t.name.clone(), t.main);
        self.log
            .push(Origin::thread(h, tid), EventKind::ThreadEnded { name, end });
        self.wake_joiners(tid);
        if main && self.host(h).process_alive {
            // CPython's `threading._shutdown`: the main thread joins every
            // non-daemon thread before the interpreter exits.
            let threads: Vec<String> = self
                .threads
                .iter()
                .filter(|t| t.host == h && !t.daemon && t.is_alive())
                .map(|t| t.name.clone())
                .collect();
            if !threads.is_empty() {
                self.log
                    .push(Origin::host(h), EventKind::WaitingForThreads { threads });
            }
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
            t.blocked_on.clear();
            let name = t.name.clone();
            self.log.push(
                Origin::thread(h, d),
                EventKind::ThreadEnded {
                    name,
                    end: end.clone(),
                },
            );
        }
        let host = self.host_mut(h);
        host.process_alive = false;
        host.gil = None;
        host.gil_queue.clear();
        let exit = match end {
            ThreadEnd::Terminated => EventKind::ProcessTerminated,
            _ => EventKind::ProcessExited,
        };
        self.log.push(Origin::host(h), exit);
        let fds = self.kernel(h).open_fds();
        for fd in fds {
            self.close_fd(h, fd);
        }
        if let Some(n) = self.host_mut(h).pending_restarts.pop_front() {
            let now = self.now;
            self.schedule(now, Task::Restart(n));
        }
    }

    /// The server's `n`th [`Restart`] is due: its program starts again in
    /// a new process on the same host, or, while the current run is still
    /// alive, as soon as that one exits (one process at a time).
    pub(super) fn restart_server(&mut self, n: u8) {
        let h = HostId::SERVER;
        let Some(restart) = self.config.server.restarts.get(n as usize).cloned() else {
            return;
        };
        let script = self.config.server.script.clone();
        let host = self.host_mut(h);
        if host.process_alive {
            host.pending_restarts.push_back(n);
            return;
        }
        host.process_alive = true;
        host.terminal.clear();
        host.stdin.clear();
        let mut argv = vec![script.file.clone()];
        argv.extend(restart.args.iter().cloned());
        self.log
            .push(Origin::host(h), EventKind::ProcessStarted { argv });
        let now = self.now;
        let main = self.new_thread(h, "MainThread".into(), false, true, Program::Python(0), now);
        self.start_python(h, &script, &restart.args, main);
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
