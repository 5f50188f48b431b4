//! The scheduler: the agenda of what is due, one step at a time, and how
//! the kernel carries out what a TCP socket asked for ([`Out`]).

use super::*;

impl World {
    pub(super) fn schedule(&mut self, at: Instant, task: Task) {
        self.agenda.schedule(at, task);
    }

    pub(super) fn schedule_run(&mut self, tid: ThreadId, at: Instant) {
        let t = &mut self.threads[tid.0 as usize];
        if !t.scheduled && t.is_alive() {
            t.scheduled = true;
            self.schedule(at, Task::Run(tid));
        }
    }

    /// Wakes a blocked thread at `at` to try its call again.
    pub(super) fn wake_at(&mut self, tid: ThreadId, at: Instant) {
        self.schedule(at, Task::Wake(tid));
    }

    pub(super) fn schedule_poll(&mut self, host: HostId, sock: SockId) {
        if !self.polls.contains(&(host, sock)) {
            self.polls.push((host, sock));
            self.schedule(self.now, Task::Poll(host, sock));
        }
    }

    /// Wakes every thread blocked in a call on this socket (a `select` on
    /// several sockets counts for each of them); each will try its call
    /// again and either return or block again (silently).
    pub(super) fn wake_socket(&mut self, host: HostId, sock: SockId) {
        let now = self.now;
        let ids: Vec<ThreadId> = self
            .threads
            .iter()
            .filter(|t| t.host == host && t.blocked_on.contains(&sock) && t.is_alive())
            .map(|t| t.id)
            .collect();
        for id in ids {
            self.schedule_run(id, now);
        }
    }

    /// Runs to the next moment that produces at least one event. Returns
    /// `false` (and changes nothing) when the world is finished.
    pub fn step(&mut self) -> bool {
        self.log.step = self.step + 1;
        let before = self.log.events.len();
        while let Some((at, task)) = self.agenda.pop() {
            self.now = at;
            self.log.now = at;
            self.run_task(task);
            if self.log.events.len() > before {
                self.step += 1;
                return true;
            }
        }
        self.log.step = self.step;
        false
    }

    /// Runs every step due at or before `t`, then sets the clock to `t`.
    pub fn advance_to(&mut self, t: Instant) {
        while self.next_event_at().is_some_and(|at| at <= t) {
            self.step();
        }
        if t > self.now {
            self.now = t;
            self.log.now = t;
        }
    }

    /// The events produced since the last call, oldest first.
    pub fn poll_events(&mut self) -> Vec<Event> {
        self.log.take_events()
    }

    pub(crate) fn discard_events(&mut self) {
        self.log.events.clear();
    }

    pub(crate) fn drain_events_into(&mut self, out: &mut Vec<Event>) {
        out.append(&mut self.log.events);
    }

    pub(super) fn run_task(&mut self, task: Task) {
        match task {
            Task::Run(tid) => self.run_thread(tid),
            Task::Wake(tid) => {
                let now = self.now;
                self.schedule_run(tid, now);
            }
            Task::Poll(h, s) => {
                self.polls.retain(|p| *p != (h, s));
                let now = self.now;
                let cfg = self.config.tcp.clone();
                let mut out = Out::default();
                if let Some(tcp) = self.kernel_mut(h).tcp_mut(s) {
                    tcp.dispatch(now, &cfg, &mut out);
                    self.apply_out(h, s, out);
                }
            }
            Task::Deliver(id) => self.deliver(id),
            Task::Restart(n) => self.restart_server(n),
            Task::Timer(h, s, kind) => {
                let now = self.now;
                let cfg = self.config.tcp.clone();
                let mut out = Out::default();
                let Some(host) = self.hosts.iter_mut().find(|x| x.id == h) else {
                    return;
                };
                let Some(tcp) = host.kernel.tcp_mut(s) else {
                    return;
                };
                let fired = tcp.on_timer(kind, now, &cfg, &mut out);
                if fired {
                    self.apply_out(h, s, out);
                }
            }
        }
    }

    /// Carries out what a TCP socket asked for.
    pub(super) fn apply_out(&mut self, h: HostId, s: SockId, out: Out) {
        for kind in out.events {
            self.log.push(Origin::socket(h, s), kind);
        }
        for (seg, reason) in out.segments {
            self.transmit(h, Some(s), seg, reason);
        }
        for (kind, at) in out.timers {
            // The agenda holds exactly the socket's armed deadlines.
            self.agenda.cancel(|t| *t == Task::Timer(h, s, kind));
            if let Some(at) = at {
                self.schedule(at, Task::Timer(h, s, kind));
            }
        }
        if out.poll {
            self.schedule_poll(h, s);
        }
        if out.handshake_done {
            self.handshake_done(h, s);
        }
        if out.wake {
            self.wake_socket(h, s);
        }
        let now = self.now;
        if let Some(tcp) = self.kernel_mut(h).tcp_mut(s) {
            tcp.observe(now);
        }
        self.maybe_free(h, s);
    }
}
