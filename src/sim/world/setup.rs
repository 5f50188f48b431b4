//! Building a world: its hosts, their kernels and processes, and the main
//! threads that start the programs.

use super::*;

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
            files: MemoryFiles::new(),
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
            w.host_mut(HostId::SERVER).files = site;
            w.add_browser_host(&spec);
        }
        for spec in w.config.clients.clone() {
            w.add_client_host(spec);
        }
        w
    }

    pub(super) fn add_browser_host(&mut self, spec: &HttpSpec) {
        let id = HostId::BROWSER;
        let src = ProgramSource::Browser {
            host: spec.host.clone(),
            port: self.config.server.port,
            pages: spec.pages.clone(),
        };
        let program = Program::Browser(Box::new(Browser::new(&src)));
        let capacities = (spec.send_capacity, spec.recv_capacity);
        self.add_host(id, src, None, capacities, program, spec.start_at);
        self.http.client = Some(id);
    }

    /// Puts a host on the network, running `source` with a main thread that
    /// starts `program` at `start`. (Its first ephemeral port is drawn from
    /// the seeded RNG here, before the thread exists.)
    pub(super) fn add_host(
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
            files: MemoryFiles::new(),
        });
        self.new_thread(id, "MainThread".into(), false, true, program, start);
    }

    pub(super) fn server_source(&self) -> ProgramSource {
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

    pub(super) fn client_source(&self, spec: &ClientSpec) -> ProgramSource {
        ProgramSource::Client {
            kind: spec.kind,
            messages: spec.messages.clone(),
            server_ip: host_ip(HostId::SERVER).to_string(),
            port: self.config.server.port,
            encoding: self.config.encoding,
        }
    }

    pub(super) fn random_port(&mut self) -> u16 {
        EPHEMERAL_LOW + (self.rng.next_u32() % (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1) as u32) as u16
    }

    /// Clients ever started in a run, removed ones included (each keeps its number).
    pub(super) fn client_count(&self) -> usize {
        self.hosts.iter().filter(|h| h.client.is_some()).count()
    }

    pub(super) fn add_client_host(&mut self, spec: ClientSpec) -> HostId {
        let id = HostId(self.client_count() as u8 + 1);
        let src = self.client_source(&spec);
        let start = spec.start_at.max(self.now);
        let program = Program::client(&src);
        let capacities = (spec.send_capacity, spec.recv_capacity);
        self.add_host(id, src, Some(spec), capacities, program, start);
        id
    }

    pub(super) fn new_thread(
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
}
