//! The threaded engine ([`super::Engine::Threads`]), and the handle every
//! running server is stopped through.
//!
//! What both real servers share on this engine: a listening socket, a main thread that
//! loops on `accept()`, one thread per client, a bound on how many client
//! threads exist at once, and a handle to stop it all.
//!
//! When the bound is reached the main thread stops calling `accept()`. New
//! clients then wait in the kernel's accept queue (the listen backlog): their
//! handshake is done, but no thread reads from them until one leaves. That is
//! the course's picture, for real.

use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::console::Console;

/// Stack size of a connection thread. Handlers keep their buffers on the
/// heap, so a small stack lets a thousand idle clients cost little memory.
const CONNECTION_STACK: usize = 128 * 1024;

pub(crate) struct Shared {
    stop: AtomicBool,
    active: Mutex<usize>,
    changed: Condvar,
    /// A second handle on each open client socket, so shutdown can wake a
    /// thread blocked in `read`.
    streams: Mutex<HashMap<u64, TcpStream>>,
    next_id: AtomicU64,
}

impl Shared {
    pub(crate) fn stopping(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }
}

/// A running server, whichever engine runs it. Dropping it shuts the server down.
pub struct ServerHandle {
    addr: SocketAddr,
    engine: Running,
}

enum Running {
    Threads {
        shared: Arc<Shared>,
        accept: Option<JoinHandle<()>>,
    },
    EventLoop(super::event_loop::Running),
}

impl ServerHandle {
    /// The address the server is bound to (with the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many clients are being served now (client threads, or
    /// connections open in the event loops).
    pub fn active_connections(&self) -> usize {
        match &self.engine {
            Running::Threads { shared, .. } => *lock(&shared.active),
            Running::EventLoop(running) => running.active_connections(),
        }
    }

    /// Stops accepting, closes every client connection, and waits (up to two
    /// seconds) for the client threads to end.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    pub(crate) fn from_event_loop(addr: SocketAddr, running: super::event_loop::Running) -> Self {
        ServerHandle {
            addr,
            engine: Running::EventLoop(running),
        }
    }

    fn stop_now(&mut self) {
        let (shared, accept) = match &mut self.engine {
            Running::EventLoop(running) => return running.stop(),
            Running::Threads { shared, accept } => match accept.take() {
                Some(accept) => (shared, accept),
                None => return,
            },
        };
        shared.stop.store(true, Ordering::Release);
        shared.changed.notify_all();
        // Wake the main thread out of accept() by connecting to it.
        let _ = TcpStream::connect_timeout(&wake_addr(self.addr), Duration::from_secs(1));
        let _ = accept.join();
        for stream in lock(&shared.streams).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut active = lock(&shared.active);
        while *active > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            active = shared
                .changed
                .wait_timeout(active, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn wake_addr(addr: SocketAddr) -> SocketAddr {
    let mut a = addr;
    if a.ip().is_unspecified() {
        match a {
            SocketAddr::V4(_) => a.set_ip([127, 0, 0, 1].into()),
            SocketAddr::V6(_) => a.set_ip(std::net::Ipv6Addr::LOCALHOST.into()),
        }
    }
    a
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Binds, with an error message that names the address and the likely cause.
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| bind_error(addr, e))
}

/// A bind error that names the address and the likely cause.
pub(crate) fn bind_error(addr: SocketAddr, e: io::Error) -> io::Error {
    let why = match e.kind() {
        io::ErrorKind::AddrInUse => format!(
            "port {} is already in use on {} (is another server running?)",
            addr.port(),
            addr.ip()
        ),
        io::ErrorKind::AddrNotAvailable => {
            format!("{} is not an address of this machine", addr.ip())
        }
        io::ErrorKind::PermissionDenied => {
            format!(
                "permission denied to bind port {} (ports below 1024 need root)",
                addr.port()
            )
        }
        _ => format!("cannot listen on {addr}: {e}"),
    };
    io::Error::new(e.kind(), why)
}

/// What a server does with each accepted client, on the client's own thread.
pub(crate) type Handler = Arc<dyn Fn(TcpStream, SocketAddr, &Shared) + Send + Sync>;

/// Starts the main thread: accept, print `on_accept`'s line, spawn a thread
/// per client, never more than `max_connections` at once.
pub(crate) fn start(
    listener: TcpListener,
    name: &'static str,
    max_connections: usize,
    console: Console,
    on_accept: impl Fn(SocketAddr) -> Option<String> + Send + 'static,
    handler: Handler,
) -> io::Result<ServerHandle> {
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        active: Mutex::new(0),
        changed: Condvar::new(),
        streams: Mutex::new(HashMap::new()),
        next_id: AtomicU64::new(0),
    });
    let max = max_connections.max(1);
    let sh = shared.clone();
    let accept = thread::Builder::new()
        .name(format!("{name}-main"))
        .spawn(move || accept_loop(listener, sh, max, console, on_accept, handler, name))?;
    Ok(ServerHandle {
        addr,
        engine: Running::Threads {
            shared,
            accept: Some(accept),
        },
    })
}

fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    max: usize,
    console: Console,
    on_accept: impl Fn(SocketAddr) -> Option<String>,
    handler: Handler,
    name: &'static str,
) {
    let mut said_full = false;
    loop {
        // Wait for a free slot before taking the next client off the queue.
        {
            let mut active = lock(&shared.active);
            while *active >= max && !shared.stopping() {
                if !said_full {
                    eprintln!(
                        "sockscope: {max} clients connected (--max-connections); \
                         new clients wait in the listen backlog until one leaves"
                    );
                    said_full = true;
                }
                active = shared
                    .changed
                    .wait(active)
                    .unwrap_or_else(|e| e.into_inner());
            }
            if *active < max {
                said_full = false;
            }
        }
        if shared.stopping() {
            return;
        }
        let (stream, peer) = match listener.accept() {
            Ok(pair) => pair,
            Err(e) => {
                if shared.stopping() {
                    return;
                }
                // EMFILE and friends: say so, back off, keep serving.
                eprintln!("sockscope: accept failed: {e}");
                thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if shared.stopping() {
            return;
        }
        if let Some(line) = on_accept(peer) {
            console.line(line);
        }
        let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(clone) = stream.try_clone() {
            lock(&shared.streams).insert(id, clone);
        }
        *lock(&shared.active) += 1;
        let sh = shared.clone();
        let h = handler.clone();
        let spawned = thread::Builder::new()
            .name(format!("{name}-client-{id}"))
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                let _guard = Slot { shared: &sh, id };
                h(stream, peer, &sh);
            });
        if let Err(e) = spawned {
            eprintln!("sockscope: cannot start a thread for {peer}: {e}; closing it");
            lock(&shared.streams).remove(&id);
            *lock(&shared.active) -= 1;
        }
    }
}

/// Frees the client's slot when its thread ends, even by a panic.
struct Slot<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        lock(&self.shared.streams).remove(&self.id);
        *lock(&self.shared.active) -= 1;
        self.shared.changed.notify_all();
    }
}
