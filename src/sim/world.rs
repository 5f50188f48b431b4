//! The whole simulation: hosts, their kernels and processes, the network,
//! the threads, simulated time, the seeded RNG, and the events of the
//! current step.
//!
//! # Driving it
//!
//! `World` is sans-IO in the manner of quinn-proto: nothing happens unless
//! the driver calls in. [`World::step`] runs to the next moment at which
//! something observable happens (at least one [`Event`]) and returns those
//! events through [`World::poll_events`]; [`World::next_event_at`] says when
//! that will be; [`World::advance_to`] runs every step up to a time;
//! [`World::handle_action`] applies a learner's action. A UI normally drives
//! a [`Run`](super::Run), which records actions and keeps snapshots, rather
//! than a bare `World`.
//!
//! Cloning a `World` copies its buffers and queues but not the history of
//! events, which the [`Run`](super::Run) keeps: a clone is a snapshot.

use super::agenda::Agenda;
use super::event::{
    BlockReason, Call, DropReason, Event, EventKind, Fd, HostId, HttpNote, Log, Origin, Ret,
    SendReason, SockId, SysError, ThreadEnd, ThreadId, TimerKind,
};
use super::http_view::HttpState;
use super::net::segment::{Endpoint, Segment, SeqNumber};
use super::net::wire::Network;
use super::os::kernel::{Kernel, Listener, Socket, SocketKind, EPHEMERAL_HIGH, EPHEMERAL_LOW};
use super::os::thread::{Command, Thread, ThreadState};
use super::programs::http::{Browser, WebMain, SITE};
use super::programs::{ClientKind, Flow, Program, ProgramSource};
use super::tcp::{Out, State, TcpConfig, TcpSocket};
use super::time::{Duration, Instant};
use super::Action;
use crate::echo::{TextEncoding, DEFAULT_REPLY};
use crate::http::{HttpDate, MemoryFiles, Url};
use crate::text::Text;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// The server side of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSpec {
    pub port: u16,
    pub backlog: u32,
    pub recv_size: usize,
    /// The handler sleeps this long before every recv: a slow reader.
    pub sleep: Option<Duration>,
    /// Serve this many clients, then the main thread ends (`None`: forever).
    pub serve: Option<u32>,
    pub daemon: bool,
    pub send_capacity: usize,
    pub recv_capacity: usize,
}

impl Default for ServerSpec {
    fn default() -> Self {
        ServerSpec {
            port: 8080,
            backlog: 128,
            recv_size: 1024,
            sleep: None,
            serve: None,
            daemon: true,
            send_capacity: 2048,
            recv_capacity: 2048,
        }
    }
}

/// One client host of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSpec {
    pub kind: ClientKind,
    pub messages: Vec<String>,
    /// When its process starts.
    pub start_at: Instant,
    pub send_capacity: usize,
    pub recv_capacity: usize,
}

impl ClientSpec {
    pub fn new(kind: ClientKind, messages: &[&str], start_at: Instant) -> Self {
        ClientSpec {
            kind,
            messages: messages.iter().map(|s| s.to_string()).collect(),
            start_at,
            send_capacity: 2048,
            recv_capacity: 2048,
        }
    }
}

/// The browser and the site of the `http` lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpSpec {
    /// The name the browser looks up; the (mock) DNS answers with the
    /// server's address.
    pub host: String,
    /// The paths the browser fetches over its first, keep-alive connection.
    pub pages: Vec<String>,
    /// How long the name lookup takes.
    pub dns_delay: Duration,
    /// When the browser's process starts.
    pub start_at: Instant,
    pub send_capacity: usize,
    pub recv_capacity: usize,
    /// The site the server serves: (URL path, content).
    pub files: Vec<(String, String)>,
}

impl Default for HttpSpec {
    fn default() -> Self {
        HttpSpec {
            host: "www.example.test".into(),
            pages: vec!["/".into(), "/style.css".into(), "/missing.html".into()],
            dns_delay: Duration::from_millis(3),
            start_at: Instant::from_micros(1000),
            send_capacity: 2048,
            recv_capacity: 2048,
            files: SITE
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
        }
    }
}

/// Seconds since the Unix epoch at simulated time zero (2025-06-02 09:00:00
/// UTC): the `Date` header of the `http` lesson counts from here.
/// The most client hosts one run starts (each has its own number and address).
pub const MAX_CLIENT_HOSTS: usize = 32;

pub const HTTP_EPOCH_UNIX_SECS: u64 = 1_748_854_800;

/// Everything that defines a world before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldConfig {
    pub seed: u64,
    /// One-way latency of the wire.
    pub latency: Duration,
    /// Time one Python statement takes.
    pub cpu: Duration,
    pub tcp: TcpConfig,
    pub reply: String,
    pub encoding: TextEncoding,
    pub server: ServerSpec,
    pub clients: Vec<ClientSpec>,
    /// At most this many client hosts (the learner can add some).
    pub max_clients: u8,
    /// The `http` lesson: a static web server instead of the echo server,
    /// and a browser host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpSpec>,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 1,
            latency: Duration::from_millis(2),
            cpu: Duration::from_micros(50),
            tcp: TcpConfig::default(),
            reply: DEFAULT_REPLY.to_string(),
            encoding: TextEncoding::Gbk,
            server: ServerSpec::default(),
            clients: vec![],
            max_clients: 8,
            http: None,
        }
    }
}

/// A machine: a name, an IP, a kernel and one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub id: HostId,
    pub name: String,
    pub ip: Ipv4Addr,
    pub kernel: Kernel,
    /// The program its process runs, as shown in the code panel.
    pub source: ProgramSource,
    pub process_alive: bool,
    /// The learner removed this client ([`Action::RemoveClient`]).
    pub removed: bool,
    pub(crate) client: Option<ClientSpec>,
    handlers_started: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    Run(ThreadId),
    Poll(HostId, SockId),
    Deliver(u64),
    Timer(HostId, SockId, TimerKind),
}

/// What a syscall gave the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sys<T> {
    Ready(T),
    Blocked,
    Failed(SysError),
}

/// The simulation. See the module docs for how to drive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    pub(crate) config: WorldConfig,
    now: Instant,
    step: u64,
    pub(crate) hosts: Vec<Host>,
    pub(crate) threads: Vec<Thread>,
    pub(crate) network: Network,
    agenda: Agenda<Task>,
    rng: ChaCha8Rng,
    pub(crate) log: Log,
    polls: Vec<(HostId, SockId)>,
    pub(crate) http: HttpState,
}

fn host_ip(id: HostId) -> Ipv4Addr {
    if id == HostId::BROWSER {
        return Ipv4Addr::new(10, 0, 0, 100);
    }
    Ipv4Addr::new(10, 0, 0, id.0 + 1)
}

/// Why an action was not done, in both languages.
pub(crate) type Why = Text<String>;

fn no_such_client(client: u8) -> Why {
    Text::owned(
        format!("没有 client-{client}"),
        format!("there is no client-{client}"),
    )
}

impl World {
    /// A world at time zero with the lesson's hosts; nothing has run yet
    /// except the setup events (threads are scheduled to start).
    pub fn new(config: WorldConfig) -> World {
        let mut w = World {
            now: Instant::ZERO,
            step: 0,
            hosts: vec![],
            threads: vec![],
            network: Network::new(config.latency),
            agenda: Agenda::default(),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            log: Log::default(),
            polls: vec![],
            http: HttpState::default(),
            config,
        };
        let s = w.config.server.clone();
        let src = w.server_source();
        let first = w.random_port();
        w.hosts.push(Host {
            id: HostId::SERVER,
            name: HostId::SERVER.name(),
            ip: host_ip(HostId::SERVER),
            kernel: Kernel::new(
                HostId::SERVER,
                host_ip(HostId::SERVER),
                first,
                s.send_capacity,
                s.recv_capacity,
            ),
            source: src.clone(),
            process_alive: true,
            removed: false,
            client: None,
            handlers_started: 0,
        });
        let main = match &src {
            ProgramSource::WebServer { .. } => Program::WebMain(WebMain::new(&src)),
            _ => Program::server_main(&src),
        };
        w.new_thread(
            HostId::SERVER,
            "MainThread".into(),
            false,
            true,
            main,
            Instant::ZERO,
        );
        if let Some(spec) = w.config.http.clone() {
            let mut site = MemoryFiles::new();
            for (path, content) in &spec.files {
                // A path the resolver refuses could never be served anyway.
                let _ = site.insert(path, content.as_bytes().to_vec());
            }
            w.http.site = site;
            w.add_browser_host(&spec);
        }
        for spec in w.config.clients.clone() {
            w.add_client_host(spec);
        }
        w
    }

    fn add_browser_host(&mut self, spec: &HttpSpec) {
        let id = HostId::BROWSER;
        let src = ProgramSource::Browser {
            host: spec.host.clone(),
            port: self.config.server.port,
            pages: spec.pages.clone(),
        };
        let program = Program::Browser(Box::new(Browser::new(&src)));
        let capacities = (spec.send_capacity, spec.recv_capacity);
        self.add_host(id, src, None, capacities, program, spec.start_at);
    }

    /// Puts a host on the network, running `source` with a main thread that
    /// starts `program` at `start`. (Its first ephemeral port is drawn from
    /// the seeded RNG here, before the thread exists.)
    fn add_host(
        &mut self,
        id: HostId,
        source: ProgramSource,
        client: Option<ClientSpec>,
        (send_capacity, recv_capacity): (usize, usize),
        program: Program,
        start: Instant,
    ) {
        let first = self.random_port();
        self.hosts.push(Host {
            id,
            name: id.name(),
            ip: host_ip(id),
            kernel: Kernel::new(id, host_ip(id), first, send_capacity, recv_capacity),
            source,
            process_alive: true,
            removed: false,
            client,
            handlers_started: 0,
        });
        self.new_thread(id, "MainThread".into(), false, true, program, start);
    }

    /// The host with this id (hosts are few: a scan is cheap).
    fn host(&self, h: HostId) -> &Host {
        self.hosts
            .iter()
            .find(|x| x.id == h)
            .expect("a host id names a host of this world")
    }

    fn host_mut(&mut self, h: HostId) -> &mut Host {
        self.hosts
            .iter_mut()
            .find(|x| x.id == h)
            .expect("a host id names a host of this world")
    }

    pub(crate) fn find_host(&self, h: HostId) -> Option<&Host> {
        self.hosts.iter().find(|x| x.id == h)
    }

    fn server_source(&self) -> ProgramSource {
        let s = &self.config.server;
        if let Some(http) = &self.config.http {
            return ProgramSource::WebServer {
                port: s.port,
                backlog: s.backlog,
                recv_size: s.recv_size,
                files: http
                    .files
                    .iter()
                    .map(|(p, _)| p.trim_start_matches('/').to_string())
                    .collect(),
            };
        }
        ProgramSource::EchoServer {
            port: s.port,
            backlog: s.backlog,
            recv_size: s.recv_size,
            sleep_ms: s.sleep.map(|d| d.total_millis()),
            serve: s.serve,
            daemon: s.daemon,
            reply: self.config.reply.clone(),
            encoding: self.config.encoding,
        }
    }

    fn client_source(&self, spec: &ClientSpec) -> ProgramSource {
        ProgramSource::Client {
            kind: spec.kind,
            messages: spec.messages.clone(),
            server_ip: host_ip(HostId::SERVER).to_string(),
            port: self.config.server.port,
            encoding: self.config.encoding,
        }
    }

    fn random_port(&mut self) -> u16 {
        EPHEMERAL_LOW + (self.rng.next_u32() % (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1) as u32) as u16
    }

    /// Clients ever started in a run, removed ones included (each keeps its number).
    fn client_count(&self) -> usize {
        self.hosts.iter().filter(|h| h.client.is_some()).count()
    }

    fn add_client_host(&mut self, spec: ClientSpec) -> HostId {
        let id = HostId(self.client_count() as u8 + 1);
        let src = self.client_source(&spec);
        let start = spec.start_at.max(self.now);
        let program = Program::client(&src);
        let capacities = (spec.send_capacity, spec.recv_capacity);
        self.add_host(id, src, Some(spec), capacities, program, start);
        id
    }

    fn new_thread(
        &mut self,
        host: HostId,
        name: String,
        daemon: bool,
        main: bool,
        program: Program,
        start: Instant,
    ) -> ThreadId {
        let id = ThreadId(self.threads.len() as u16);
        self.threads.push(Thread {
            id,
            host,
            name,
            daemon,
            main,
            state: ThreadState::Running,
            line: None,
            program,
            started: false,
            scheduled: false,
            blocked_on: None,
            in_call: false,
            sending: None,
            inbox: Default::default(),
        });
        self.schedule_run(id, start);
        id
    }

    // ------------------------------------------------------------------
    // Scheduling
    // ------------------------------------------------------------------

    fn schedule(&mut self, at: Instant, task: Task) {
        self.agenda.schedule(at, task);
    }

    fn schedule_run(&mut self, tid: ThreadId, at: Instant) {
        let t = &mut self.threads[tid.0 as usize];
        if !t.scheduled && t.is_alive() {
            t.scheduled = true;
            self.schedule(at, Task::Run(tid));
        }
    }

    fn schedule_poll(&mut self, host: HostId, sock: SockId) {
        if !self.polls.contains(&(host, sock)) {
            self.polls.push((host, sock));
            self.schedule(self.now, Task::Poll(host, sock));
        }
    }

    /// Wakes every thread blocked in a call on this socket; each will try its
    /// call again and either return or block again (silently).
    fn wake_socket(&mut self, host: HostId, sock: SockId) {
        let now = self.now;
        let ids: Vec<ThreadId> = self
            .threads
            .iter()
            .filter(|t| t.host == host && t.blocked_on == Some(sock) && t.is_alive())
            .map(|t| t.id)
            .collect();
        for id in ids {
            self.schedule_run(id, now);
        }
    }

    /// Simulated time now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// How many steps have run.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// When the next thing is due, or `None` if nothing will ever happen
    /// again without a learner's action.
    pub fn next_event_at(&self) -> Option<Instant> {
        self.agenda.next_at()
    }

    /// Nothing more will happen unless the learner acts.
    pub fn is_finished(&self) -> bool {
        self.agenda.is_empty()
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

    fn run_task(&mut self, task: Task) {
        match task {
            Task::Run(tid) => self.run_thread(tid),
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

    pub(crate) fn kernel_mut(&mut self, h: HostId) -> &mut Kernel {
        &mut self.host_mut(h).kernel
    }

    pub(crate) fn kernel(&self, h: HostId) -> &Kernel {
        &self.host(h).kernel
    }

    fn host_by_ip(&self, ip: Ipv4Addr) -> Option<HostId> {
        self.hosts.iter().find(|h| h.ip == ip).map(|h| h.id)
    }

    /// Carries out what a TCP socket asked for.
    fn apply_out(&mut self, h: HostId, s: SockId, out: Out) {
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
        self.maybe_free(h, s);
    }

    fn transmit(&mut self, h: HostId, s: Option<SockId>, seg: Segment, reason: SendReason) {
        let Some(to) = self.host_by_ip(seg.dst.ip) else {
            return;
        };
        let now = self.now;
        if h == HostId::BROWSER && !seg.payload.is_empty() {
            if let Some(s) = s {
                self.http_on_wire(s, seg.seq, seg.payload.len());
            }
        }
        if let Some((id, arrives_at)) = self.network.send(h, to, now, seg.clone()) {
            self.log.push(
                Origin::host(h).on(s),
                EventKind::SegmentSent {
                    segment: seg,
                    reason,
                    arrives_at,
                },
            );
            self.schedule(arrives_at, Task::Deliver(id));
        }
    }

    fn handshake_done(&mut self, h: HostId, child: SockId) {
        let k = self.kernel_mut(h);
        let Some(lid) = k.tcp(child).and_then(|t| t.listener()) else {
            return;
        };
        let peer = k.tcp(child).map(|t| t.remote()).expect("child exists");
        let Some(l) = k.listener_mut(lid) else { return };
        l.syn_queue.retain(|c| *c != child);
        l.accept_queue.push(child);
        let (n, backlog) = (l.accept_queue.len(), l.backlog);
        self.log.push(
            Origin::socket(h, lid),
            EventKind::AcceptQueued {
                peer,
                accept_queue: n,
                backlog,
            },
        );
        self.wake_socket(h, lid);
    }

    /// A CLOSED connection the program no longer holds leaves the table
    /// (and any listener queue it was waiting in).
    fn maybe_free(&mut self, h: HostId, s: SockId) {
        let k = self.kernel_mut(h);
        let Some(sock) = k.get(s) else { return };
        let SocketKind::Stream(t) = &sock.kind else {
            return;
        };
        if t.state() != State::Closed || sock.fd.is_some() {
            return;
        }
        if let Some(lid) = t.listener() {
            if let Some(l) = k.listener_mut(lid) {
                l.syn_queue.retain(|c| *c != s);
                l.accept_queue.retain(|c| *c != s);
            }
        }
        k.free(s);
        self.polls.retain(|p| *p != (h, s));
        // Its slot may be reused: nothing of this socket stays due.
        self.agenda.cancel(
            |t| matches!(*t, Task::Timer(th, ts, _) | Task::Poll(th, ts) if (th, ts) == (h, s)),
        );
    }

    fn deliver(&mut self, id: u64) {
        let Some(f) = self.network.take(id) else {
            return;
        };
        let seg = f.segment;
        let h = f.to;
        let now = self.now;
        let cfg = self.config.tcp.clone();
        let target = self.kernel(h).demux(seg.dst, seg.src);
        self.log.push(
            Origin::host(h).on(target),
            EventKind::SegmentDelivered {
                segment: seg.clone(),
            },
        );
        let Some(sid) = target else {
            self.drop_and_reset(h, seg, DropReason::NoSocket);
            return;
        };
        match &self.kernel(h).get(sid).expect("demux found it").kind {
            SocketKind::Stream(_) => {
                let mut out = Out::default();
                let tcp = self.kernel_mut(h).tcp_mut(sid).expect("stream");
                tcp.process(&seg, now, &cfg, &mut out);
                let rcv_end = tcp.received_end();
                if h == HostId::BROWSER && !seg.payload.is_empty() {
                    self.http_on_arrival(sid, rcv_end);
                }
                self.apply_out(h, sid, out);
            }
            SocketKind::Listener(l) => {
                if !seg.flags.syn || seg.flags.ack {
                    self.drop_and_reset(h, seg, DropReason::NoSocket);
                    return;
                }
                if l.is_full() {
                    self.log.push(
                        Origin::socket(h, sid),
                        EventKind::SegmentDropped {
                            segment: seg,
                            reason: DropReason::BacklogFull,
                        },
                    );
                    return;
                }
                let (local, backlog) = (l.local, l.backlog);
                let iss = SeqNumber(self.rng.next_u32());
                let k = self.kernel_mut(h);
                let (sc, rc) = (k.send_capacity, k.recv_capacity);
                let local = Endpoint::new(local.ip, seg.dst.port);
                let child_id = k.insert(Socket {
                    fd: None,
                    kind: SocketKind::Fresh { port: None },
                });
                let mut child = TcpSocket::new(local, seg.src, iss, (sc, rc), &cfg);
                let l = k.listener_mut(sid).expect("listener");
                l.syn_queue.push(child_id);
                let n = l.syn_queue.len();
                self.log.push(
                    Origin::socket(h, sid),
                    EventKind::SynQueued {
                        peer: seg.src,
                        syn_queue: n,
                        backlog,
                    },
                );
                let mut out = Out::default();
                child.accept_syn(&seg, sid, &mut out);
                self.kernel_mut(h).get_mut(child_id).expect("inserted").kind =
                    SocketKind::Stream(Box::new(child));
                self.apply_out(h, child_id, out);
            }
            SocketKind::Fresh { .. } => self.drop_and_reset(h, seg, DropReason::NoSocket),
        }
    }

    /// No socket wants this segment: drop it, and answer RST as RFC 9293
    /// §3.10.7.1 asks (never to a RST).
    fn drop_and_reset(&mut self, h: HostId, seg: Segment, reason: DropReason) {
        self.log.push(
            Origin::host(h),
            EventKind::SegmentDropped {
                segment: seg.clone(),
                reason,
            },
        );
        if let Some(rst) = TcpSocket::reset_for(&seg) {
            self.transmit(h, None, rst, SendReason::Rst);
        }
    }

    // ------------------------------------------------------------------
    // Threads
    // ------------------------------------------------------------------

    pub(crate) fn thread(&self, tid: ThreadId) -> &Thread {
        &self.threads[tid.0 as usize]
    }

    fn thread_mut(&mut self, tid: ThreadId) -> &mut Thread {
        &mut self.threads[tid.0 as usize]
    }

    fn run_thread(&mut self, tid: ThreadId) {
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

    fn thread_exit(&mut self, tid: ThreadId, end: ThreadEnd) {
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
    fn maybe_exit_process(&mut self, h: HostId) {
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
    fn end_process(&mut self, h: HostId, end: ThreadEnd) {
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
    fn mark_started(&mut self, tid: ThreadId) {
        let t = self.thread_mut(tid);
        t.started = true;
        let (h, name, daemon) = (t.host, t.name.clone(), t.daemon);
        self.log.push(
            Origin::thread(h, tid),
            EventKind::ThreadStarted { name, daemon },
        );
    }

    pub(crate) fn print(&mut self, tid: ThreadId, line: u32, text: String) {
        self.log_at_line(tid, line, EventKind::Console { line: text });
    }

    /// Moves a thread's cursor to `line` and logs what it did there.
    fn log_at_line(&mut self, tid: ThreadId, line: u32, kind: EventKind) {
        let h = self.thread(tid).host;
        self.thread_mut(tid).line = Some(line);
        self.log.push(Origin::thread(h, tid).at(Some(line)), kind);
    }

    // ------------------------------------------------------------------
    // What programs read
    // ------------------------------------------------------------------

    pub(crate) fn server_params(&self) -> (u16, u32, Option<u32>, bool, Option<Duration>) {
        let s = &self.config.server;
        (s.port, s.backlog, s.serve, s.daemon, s.sleep)
    }

    pub(crate) fn server_recv_size(&self) -> usize {
        self.config.server.recv_size
    }

    pub(crate) fn encoding(&self) -> TextEncoding {
        self.config.encoding
    }

    pub(crate) fn reply_text(&self) -> String {
        self.config.reply.clone()
    }

    pub(crate) fn client_messages(&self, tid: ThreadId) -> Vec<String> {
        let h = self.thread(tid).host;
        self.host(h)
            .client
            .as_ref()
            .map(|c| c.messages.clone())
            .unwrap_or_default()
    }

    // ------------------------------------------------------------------
    // Syscalls. Each logs its call once, its return, and each new reason to
    // block. A blocked call is tried again when the thread is woken.
    // ------------------------------------------------------------------

    fn enter(&mut self, tid: ThreadId, line: u32, call: &Call, sock: Option<SockId>) -> bool {
        let t = self.thread_mut(tid);
        t.line = Some(line);
        if t.in_call {
            return false;
        }
        t.in_call = true;
        let h = t.host;
        self.log.push(
            Origin::thread(h, tid).on(sock).at(Some(line)),
            EventKind::Call { call: call.clone() },
        );
        true
    }

    fn finish<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        ret: Ret,
        value: T,
    ) -> Sys<T> {
        let t = self.thread_mut(tid);
        t.in_call = false;
        t.blocked_on = None;
        t.state = ThreadState::Running;
        let (h, line) = (t.host, t.line);
        self.log.push(
            Origin::thread(h, tid).on(sock).at(line),
            EventKind::Return { call, ret },
        );
        Sys::Ready(value)
    }

    fn fail<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        error: SysError,
    ) -> Sys<T> {
        let _ = self.finish(tid, call, sock, Ret::Error { error }, ());
        Sys::Failed(error)
    }

    fn block<T>(
        &mut self,
        tid: ThreadId,
        call: Call,
        sock: Option<SockId>,
        reason: BlockReason,
    ) -> Sys<T> {
        let t = self.thread_mut(tid);
        t.blocked_on = sock;
        let new = ThreadState::Blocked {
            call: call.clone(),
            reason: reason.clone(),
        };
        if t.state != new {
            t.state = new;
            let (h, line) = (t.host, t.line);
            self.log.push(
                Origin::thread(h, tid).on(sock).at(line),
                EventKind::Blocked { call, reason },
            );
        }
        Sys::Blocked
    }

    fn fd_sock(&self, tid: ThreadId, fd: Fd) -> Option<SockId> {
        self.kernel(self.thread(tid).host).by_fd(fd)
    }

    pub(crate) fn sys_socket(&mut self, tid: ThreadId, line: u32) -> Fd {
        self.enter(tid, line, &Call::Socket, None);
        let h = self.thread(tid).host;
        let k = self.kernel_mut(h);
        let id = k.insert(Socket {
            fd: None,
            kind: SocketKind::Fresh { port: None },
        });
        let fd = k.alloc_fd(id);
        let _ = self.finish(tid, Call::Socket, Some(id), Ret::Fd { fd }, ());
        fd
    }

    pub(crate) fn sys_setsockopt(&mut self, tid: ThreadId, line: u32, fd: Fd) {
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &Call::Setsockopt, s);
        let _ = self.finish(tid, Call::Setsockopt, s, Ret::Done, ());
    }

    pub(crate) fn sys_bind(&mut self, tid: ThreadId, line: u32, fd: Fd, port: u16) {
        let call = Call::Bind { port };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        if let Some(sock) = s.and_then(|s| self.kernel_mut(h).get_mut(s)) {
            sock.kind = SocketKind::Fresh { port: Some(port) };
        }
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    pub(crate) fn sys_listen(&mut self, tid: ThreadId, line: u32, fd: Fd, backlog: u32) {
        let call = Call::Listen { backlog };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let ip = self.host(h).ip;
        if let Some(sid) = s {
            let k = self.kernel_mut(h);
            if let Some(sock) = k.get_mut(sid) {
                let port = match sock.kind {
                    SocketKind::Fresh { port: Some(p) } => p,
                    _ => 0,
                };
                sock.kind = SocketKind::Listener(Listener {
                    local: Endpoint::new(ip, port),
                    backlog,
                    syn_queue: vec![],
                    accept_queue: vec![],
                });
                self.log.push(
                    Origin::thread(h, tid).on(s).at(Some(line)),
                    EventKind::State {
                        from: State::Closed,
                        to: State::Listen,
                    },
                );
            }
        }
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    pub(crate) fn sys_accept(&mut self, tid: ThreadId, line: u32, fd: Fd) -> Sys<(Fd, Endpoint)> {
        let call = Call::Accept { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(lid) = s else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        let k = self.kernel_mut(h);
        let Some(l) = k.listener_mut(lid) else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        if l.accept_queue.is_empty() {
            return self.block(tid, call, s, BlockReason::AcceptQueueEmpty);
        }
        let child = l.accept_queue.remove(0);
        let new_fd = k.alloc_fd(child);
        let tcp = k.tcp_mut(child).expect("queued connections are streams");
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

    pub(crate) fn sys_connect(&mut self, tid: ThreadId, line: u32, fd: Fd) -> Sys<Endpoint> {
        let h = self.thread(tid).host;
        let to = Endpoint::new(host_ip(HostId::SERVER), self.config.server.port);
        let call = Call::Connect { fd, to };
        let s = self.fd_sock(tid, fd);
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        if self.enter(tid, line, &call, s) {
            // First try: pick a local port and start the handshake.
            let iss = SeqNumber(self.rng.next_u32());
            let cfg = self.config.tcp.clone();
            let ip = self.host(h).ip;
            let k = self.kernel_mut(h);
            let port = k.ephemeral_port();
            let (sc, rc) = (k.send_capacity, k.recv_capacity);
            let mut tcp = TcpSocket::new(Endpoint::new(ip, port), to, iss, (sc, rc), &cfg);
            let mut out = Out::default();
            tcp.connect(&mut out);
            self.kernel_mut(h)
                .get_mut(sid)
                .expect("fd maps to a socket")
                .kind = SocketKind::Stream(Box::new(tcp));
            self.apply_out(h, sid, out);
        }
        let tcp = self.kernel(h).tcp(sid).expect("connect made a stream");
        match (tcp.state(), tcp.error()) {
            (State::SynSent, _) => self.block(tid, call, s, BlockReason::Handshake),
            (_, Some(e)) => self.fail(tid, call, s, e),
            _ => {
                let local = tcp.local();
                self.finish(tid, call, s, Ret::Connected { local }, local)
            }
        }
    }

    /// `send(data)`: copies what fits into the send buffer and blocks while
    /// the rest waits for room. A send that blocked goes on with the bytes it
    /// was first given, as the kernel copies from the caller's buffer:
    /// `data` is read only when the call starts.
    pub(crate) fn sys_send(&mut self, tid: ThreadId, line: u32, fd: Fd, data: &[u8]) -> Sys<usize> {
        let (data, done) = match self.thread_mut(tid).sending.take() {
            Some(pending) if self.thread(tid).in_call => pending,
            _ => (data.to_vec(), 0),
        };
        let call = Call::Send {
            fd,
            len: data.len(),
        };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        let Some(sid) = s else {
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        let mut out = Out::default();
        let result = match self.kernel_mut(h).tcp_mut(sid) {
            None => Err(SysError::BrokenPipe),
            Some(tcp) => match tcp.error() {
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
                if copied == data.len() {
                    self.finish(tid, call, s, Ret::Sent { n: copied }, copied)
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
            return self.fail(tid, call, s, SysError::BrokenPipe);
        };
        let mut out = Out::default();
        let result = match self.kernel_mut(h).tcp_mut(sid) {
            None => Err(SysError::BrokenPipe),
            Some(tcp) => match (tcp.app_recv(max, &mut out), tcp.error()) {
                (Some(data), Some(e)) if data.is_empty() => Err(e),
                (other, _) => Ok(other),
            },
        };
        self.apply_out(h, sid, out);
        match result {
            Err(e) => self.fail(tid, call, s, e),
            Ok(None) => self.block(tid, call, s, BlockReason::RecvBufferEmpty),
            Ok(Some(data)) => self.finish(tid, call, s, Ret::Received { data: data.clone() }, data),
        }
    }

    pub(crate) fn sys_shutdown(&mut self, tid: ThreadId, line: u32, fd: Fd) {
        let call = Call::Shutdown { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        if let Some(sid) = s {
            let mut out = Out::default();
            if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                tcp.app_shutdown_write(&mut out);
            }
            self.apply_out(h, sid, out);
        }
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    pub(crate) fn sys_close(&mut self, tid: ThreadId, line: u32, fd: Fd) {
        let call = Call::Close { fd };
        let s = self.fd_sock(tid, fd);
        self.enter(tid, line, &call, s);
        let h = self.thread(tid).host;
        self.close_fd(h, fd);
        let _ = self.finish(tid, call, s, Ret::Done, ());
    }

    /// What the kernel does when a process gives an fd back (by `close()` or
    /// by exiting).
    fn close_fd(&mut self, h: HostId, fd: Fd) {
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
                    if let Some(t) = self.kernel_mut(h).tcp_mut(c) {
                        t.reset_unaccepted(&mut out);
                    }
                    self.apply_out(h, c, out);
                }
            }
            SocketKind::Stream(_) => {
                let mut out = Out::default();
                if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                    tcp.app_close(&mut out);
                }
                self.apply_out(h, sid, out);
            }
        }
    }

    pub(crate) fn sys_sleep(&mut self, tid: ThreadId, line: u32, d: Duration) -> Sys<()> {
        let call = Call::Sleep { duration: d };
        if self.enter(tid, line, &call, None) {
            let until = self.now + d;
            self.thread_mut(tid).scheduled = false;
            self.schedule_run(tid, until);
            return self.block(tid, call, None, BlockReason::Sleeping { until });
        }
        self.finish(tid, call, None, Ret::Done, ())
    }

    pub(crate) fn sys_input(&mut self, tid: ThreadId, line: u32) -> Sys<Command> {
        let call = Call::Input;
        self.enter(tid, line, &call, None);
        match self.thread_mut(tid).inbox.pop_front() {
            Some(cmd) => {
                let command = cmd.clone();
                self.finish(tid, call, None, Ret::Command { command }, cmd)
            }
            None => self.block(tid, call, None, BlockReason::Learner),
        }
    }

    // ------------------------------------------------------------------
    // The learner's actions
    // ------------------------------------------------------------------

    /// Applies a learner's action now. Actions that cannot apply are logged
    /// as ignored, with the reason, and change nothing else.
    pub fn handle_action(&mut self, action: &Action) {
        self.log.step = self.step;
        self.log.now = self.now;
        self.log.push(
            Origin::learner(),
            EventKind::Action {
                action: action.clone(),
            },
        );
        if let Err(why) = self.try_action(action) {
            self.log.push(
                Origin::learner(),
                EventKind::ActionIgnored {
                    action: action.clone(),
                    why,
                },
            );
        }
    }

    fn interactive_main(&self, client: u8) -> Result<ThreadId, Why> {
        let h = HostId(client);
        let host = self
            .find_host(h)
            .filter(|_| client > 0 && h != HostId::BROWSER)
            .ok_or_else(|| no_such_client(client))?;
        if host.client.as_ref().map(|c| c.kind) != Some(ClientKind::Interactive) {
            return Err(Text::owned(
                format!("{} 运行的是写好的脚本，不接受命令", h.name()),
                format!("{} runs a script; it does not take commands", h.name()),
            ));
        }
        let t = self
            .threads
            .iter()
            .find(|t| t.host == h && t.main)
            .expect("every host has a main thread");
        if !t.is_alive() {
            return Err(Text::owned(
                format!("{} 已经退出了", h.name()),
                format!("{} has already exited", h.name()),
            ));
        }
        Ok(t.id)
    }

    fn command(&mut self, client: u8, cmd: Command) -> Result<(), Why> {
        let tid = self.interactive_main(client)?;
        let t = self.thread_mut(tid);
        if t.inbox.iter().any(|c| *c == Command::Close) {
            return Err(Text::owned(
                "这个客户端已经在关闭了",
                "that client is already closing",
            ));
        }
        self.hand_to_learner_thread(tid, cmd);
        Ok(())
    }

    /// Queues a learner's command for a thread and, if it is waiting for
    /// the learner, wakes it now.
    fn hand_to_learner_thread(&mut self, tid: ThreadId, cmd: Command) {
        let now = self.now;
        let t = self.thread_mut(tid);
        t.inbox.push_back(cmd);
        if matches!(
            t.state,
            ThreadState::Blocked {
                reason: BlockReason::Learner,
                ..
            }
        ) {
            self.schedule_run(tid, now);
        }
    }

    fn try_action(&mut self, action: &Action) -> Result<(), Why> {
        match action {
            Action::AddClient => {
                let on_stage = self
                    .hosts
                    .iter()
                    .filter(|h| h.client.is_some() && !h.removed)
                    .count();
                if on_stage >= self.config.max_clients as usize {
                    let max = self.config.max_clients;
                    return Err(Text::owned(
                        format!("最多 {max} 个客户端"),
                        format!("at most {max} clients"),
                    ));
                }
                // Every client gets its own number and address, removed ones included.
                if self.client_count() >= MAX_CLIENT_HOSTS {
                    return Err(Text::owned(
                        format!("一次运行最多 {MAX_CLIENT_HOSTS} 个客户端"),
                        format!("at most {MAX_CLIENT_HOSTS} clients in one run"),
                    ));
                }
                let template = ClientSpec {
                    start_at: self.now,
                    ..ClientSpec::new(ClientKind::Interactive, &[], self.now)
                };
                self.add_client_host(template);
                Ok(())
            }
            Action::RemoveClient { client } => {
                let h = HostId(*client);
                let host = self
                    .find_host(h)
                    .filter(|host| host.client.is_some() && h != HostId::BROWSER)
                    .ok_or_else(|| no_such_client(*client))?;
                if host.removed {
                    return Err(Text::owned(
                        format!("{} 已经被移除了", h.name()),
                        format!("{} is already removed", h.name()),
                    ));
                }
                self.host_mut(h).removed = true;
                if self.host(h).process_alive {
                    self.end_process(h, ThreadEnd::Terminated);
                }
                Ok(())
            }
            Action::Close { client } => Ok(self.command(*client, Command::Close)?),
            Action::Send { client, text } => {
                if text.is_empty() {
                    return Err(Text::owned(
                        "空消息什么也不会发送",
                        "an empty message sends nothing",
                    ));
                }
                Ok(self.command(*client, Command::Send { text: text.clone() })?)
            }
            Action::RecvNow { client } => Ok(self.command(*client, Command::Recv)?),
            Action::Navigate { url } => self.navigate(url),
            Action::SetBuffers {
                target,
                send_capacity,
                recv_capacity,
            } => {
                let h = HostId(*target);
                if self.find_host(h).is_none() {
                    return Err(Text::owned(
                        format!("没有 {} 这台主机", h.name()),
                        format!("there is no host {}", h.name()),
                    ));
                }
                let (sc, rc) = (
                    (*send_capacity).clamp(1, 65535) as usize,
                    (*recv_capacity).clamp(1, 65535) as usize,
                );
                let k = self.kernel_mut(h);
                k.send_capacity = sc;
                k.recv_capacity = rc;
                let ids: Vec<SockId> = (0..k.sockets.len() as u16)
                    .map(SockId)
                    .filter(|s| k.tcp(*s).is_some())
                    .collect();
                let _ = k;
                for sid in ids {
                    let mut out = Out::default();
                    if let Some(tcp) = self.kernel_mut(h).tcp_mut(sid) {
                        tcp.resize_buffers(sc, rc, &mut out);
                    }
                    self.apply_out(h, sid, out);
                }
                Ok(())
            }
            Action::SetEncoding { encoding } => {
                self.config.encoding = *encoding;
                let src = self.server_source();
                self.host_mut(HostId::SERVER).source = src;
                for i in 1..self.hosts.len() {
                    if let Some(spec) = self.hosts[i].client.clone() {
                        self.hosts[i].source = self.client_source(&spec);
                    }
                }
                Ok(())
            }
        }
    }

    /// Checks a URL typed into the browser's address bar and hands it to the
    /// browser. The server's files are never touched here: what the path
    /// means is decided by the server's resolver, when the request arrives.
    fn navigate(&mut self, url: &str) -> Result<(), Why> {
        let Some(spec) = &self.config.http else {
            return Err(Text::owned(
                "这一课没有浏览器",
                "this lesson has no browser",
            ));
        };
        let parsed = Url::parse(url).map_err(|e| Text::owned(e.zh(), e.to_string()))?;
        if parsed.is_https() {
            return Err(Text::owned(
                "https 需要 TLS，本模拟没有实现：请用 http://",
                "https needs TLS, which this simulation does not do: use http://",
            ));
        }
        if !parsed.host.text.eq_ignore_ascii_case(&spec.host) {
            return Err(Text::owned(
                format!("这个模拟网络上只有一个网站服务器：{}", spec.host),
                format!(
                    "the only web server on this simulated network is {}",
                    spec.host
                ),
            ));
        }
        let port = self.config.server.port;
        if parsed.port != port {
            return Err(Text::owned(
                format!(
                    "那里的 {} 端口没有程序在监听：网站服务器在 {port} 端口",
                    parsed.port
                ),
                format!(
                    "nothing listens on port {} there: the web server is on port {port}",
                    parsed.port
                ),
            ));
        }
        let Some(t) = self
            .threads
            .iter()
            .find(|t| t.host == HostId::BROWSER && t.main)
            .filter(|t| t.is_alive())
            .map(|t| t.id)
        else {
            return Err(Text::owned("浏览器已经退出了", "the browser has exited"));
        };
        self.hand_to_learner_thread(t, Command::Visit { url: url.into() });
        Ok(())
    }

    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    // ------------------------------------------------------------------
    // The `http` lesson's calls
    // ------------------------------------------------------------------

    /// Moves a thread's cursor to a statement that makes no call.
    pub(crate) fn set_line(&mut self, tid: ThreadId, line: u32) {
        self.thread_mut(tid).line = Some(line);
    }

    /// Logs what a program did with an HTTP message.
    pub(crate) fn http_note(&mut self, tid: ThreadId, line: u32, note: HttpNote) {
        self.log_at_line(tid, line, EventKind::Http { note });
    }

    /// The files the web server serves.
    pub(crate) fn site(&self) -> &MemoryFiles {
        &self.http.site
    }

    /// The `Date` header's value now.
    pub(crate) fn http_date(&self) -> HttpDate {
        HttpDate::from_unix_secs(HTTP_EPOCH_UNIX_SECS + self.now.total_micros() / 1_000_000)
    }

    /// A connected fd's socket, its two ends and initial sequence numbers
    /// (ISS, IRS).
    pub(crate) fn stream_of(
        &self,
        tid: ThreadId,
        fd: Fd,
    ) -> Option<(SockId, Endpoint, Endpoint, SeqNumber, SeqNumber)> {
        let h = self.thread(tid).host;
        let sid = self.kernel(h).by_fd(fd)?;
        let t = self.kernel(h).tcp(sid)?;
        Some((sid, t.local(), t.remote(), t.iss(), t.irs()))
    }

    /// `socket.gethostbyname(name)`: the mock resolver answers after the
    /// lesson's DNS delay with the server's address. The thread is blocked
    /// in the call meanwhile (no socket is involved: nothing on the wire).
    pub(crate) fn sys_gethostbyname(
        &mut self,
        tid: ThreadId,
        line: u32,
        name: &str,
    ) -> Sys<Ipv4Addr> {
        let call = Call::GetHostByName { name: name.into() };
        let delay = self
            .config
            .http
            .as_ref()
            .map_or(Duration::ZERO, |s| s.dns_delay);
        if self.enter(tid, line, &call, None) {
            let until = self.now + delay;
            self.thread_mut(tid).scheduled = false;
            self.schedule_run(tid, until);
            return self.block(tid, call, None, BlockReason::DnsAnswer { until });
        }
        let ip = host_ip(HostId::SERVER);
        let dns = EventKind::Dns {
            name: name.into(),
            ip,
            delay,
        };
        self.log_at_line(tid, line, dns);
        self.finish(tid, call, None, Ret::Resolved { ip }, ip)
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
}
