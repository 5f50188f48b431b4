//! Which design serves the clients: the same servers (echo, http), the same
//! limits and console lines, two ways of waiting for sockets.

/// How a server waits for its clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// One thread per client, blocked in `recv` (the course's server; see
    /// [`super::server`]).
    #[default]
    Threads,
    /// A few threads, each an event loop serving many non-blocking sockets
    /// (see [`super::event_loop`]).
    EventLoop(LoopOptions),
}

impl Engine {
    /// The event-loop engine with its default options: one loop per core.
    pub fn event_loop() -> Engine {
        Engine::EventLoop(LoopOptions::default())
    }

    /// The name the command line uses (`threads`, `event-loop`).
    pub fn name(self) -> &'static str {
        match self {
            Engine::Threads => "threads",
            Engine::EventLoop(_) => "event-loop",
        }
    }
}

/// Options of the event-loop engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoopOptions {
    /// How many event loops (threads); 0 means one per core.
    pub loops: usize,
    /// How accepted connections reach the loops.
    pub accept: AcceptMode,
}

/// How new connections are shared among the event loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AcceptMode {
    /// Every loop has its own listening socket on the same port
    /// (`SO_REUSEPORT`), and the kernel spreads new connections among them.
    /// Linux only; elsewhere it falls back to [`AcceptMode::Handoff`].
    #[default]
    ReusePort,
    /// One listening socket: the first loop accepts and hands the
    /// connections to the loops in turn (round robin).
    Handoff,
}
