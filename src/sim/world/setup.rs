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
            network: Network::with_loss(config.latency, config.loss.clone(), config.seed),
            agenda: Agenda::default(),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            log: Log::default(),
            polls: vec![],
            past_graphs: vec![],
            http: HttpState::default(),
            config,
        };
        let s = w.config.server.clone();
        let capacities = (s.send_capacity, s.recv_capacity);
        let main = w.add_host(
            HostId::SERVER,
            Some(s.script.clone()),
            None,
            capacities,
            Program::Python(0),
            Instant::ZERO,
        );
        if let Some(spec) = w.config.http.clone() {
            // The `http` lesson's site: files on the server's disk, which
            // its program reads with `httpmsg.MemoryFiles`.
            let mut site = MemoryFiles::new();
            for (path, content) in &spec.files {
                // A path the resolver refuses could never be served anyway.
                let _ = site.insert(path, content.as_bytes().to_vec());
            }
            w.host_mut(HostId::SERVER).files = site;
        }
        w.start_python(HostId::SERVER, &s.script, &s.args, main);
        for (n, r) in s.restarts.iter().enumerate() {
            w.schedule(r.at, Task::Restart(n as u8));
        }
        if let Some(spec) = w.config.http.clone() {
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
            port: 80,
            pages: spec.pages.clone(),
        };
        let code = Script {
            file: "browser.py".into(),
            source: src.text(self.config.lang),
        };
        let program = Program::Browser(Box::new(Browser::new(&src)));
        let capacities = (spec.send_capacity, spec.recv_capacity);
        self.add_host(id, Some(code), None, capacities, program, spec.start_at);
        self.http.client = Some(id);
    }

    /// Puts a host on the network, running `code` with a main thread that
    /// starts `program` at `start`; returns that thread. (Its first
    /// ephemeral port is drawn from the seeded RNG here, before the thread
    /// exists.)
    pub(super) fn add_host(
        &mut self,
        id: HostId,
        code: Option<Script>,
        client: Option<ClientSpec>,
        (send_capacity, recv_capacity): (usize, usize),
        program: Program,
        start: Instant,
    ) -> ThreadId {
        let first = self.random_port();
        self.hosts.push(Host {
            id,
            name: id.name(),
            ip: host_ip(id),
            kernel: Kernel::new(id, host_ip(id), first, send_capacity, recv_capacity),
            code,
            process_alive: true,
            removed: false,
            client,
            files: MemoryFiles::new(),
            python: None,
            py_threads: vec![],
            terminal: String::new(),
            stdin: Default::default(),
            gil: None,
            gil_since: Instant::ZERO,
            gil_queue: Default::default(),
            pending_restarts: Default::default(),
        });
        self.new_thread(id, "MainThread".into(), false, true, program, start)
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
        let start = spec.start_at.max(self.now);
        let capacities = (spec.send_capacity, spec.recv_capacity);
        let script = spec.script.clone();
        let args = spec.args.clone();
        let main = self.add_host(
            id,
            Some(script.clone()),
            Some(spec),
            capacities,
            Program::Python(0),
            start,
        );
        self.start_python(id, &script, &args, main);
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
            blocked_on: Vec::new(),
            in_call: false,
            sending: None,
            deadline: None,
            joining: None,
            lock_wait: false,
            busy: 0,
            eof_recvs: 0,
            inbox: Default::default(),
        });
        self.schedule_run(id, start);
        id
    }
}
