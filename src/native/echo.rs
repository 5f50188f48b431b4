//! The course's multi-threaded TCP server, for real: the main thread accepts,
//! each client gets a thread that loops `recv(1024)` → print → reply until the
//! client closes. The console lines come from [`crate::echo`], the same
//! functions the simulated server program prints with.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::console::Console;
use super::engine::Engine;
use super::server::{self, ServerHandle, Shared};
use crate::echo::{self, TextEncoding};

/// How the echo server runs.
#[derive(Debug, Clone)]
pub struct EchoConfig {
    pub bind: SocketAddr,
    pub encoding: TextEncoding,
    /// The text sent back for every message.
    pub reply: String,
    /// The language of the console lines (as the lesson's `server.py` in
    /// that language prints them).
    pub lang: crate::text::Lang,
    pub max_connections: usize,
    /// A client silent this long is disconnected; `None` waits forever.
    pub idle_timeout: Option<Duration>,
    /// A thread per client (the default) or event loops.
    pub engine: Engine,
}

impl Default for EchoConfig {
    fn default() -> Self {
        EchoConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], crate::sim::lessons::code::LESSON_PORT)),
            encoding: TextEncoding::Gbk,
            reply: echo::DEFAULT_REPLY.to_string(),
            lang: crate::text::Lang::En,
            max_connections: 1024,
            idle_timeout: Some(Duration::from_secs(300)),
            engine: Engine::Threads,
        }
    }
}

/// The size of each `recv`, as in the course's `recv(1024)`.
pub const RECV_SIZE: usize = 1024;

/// Binds and starts the echo server on the configured engine; console lines
/// go to `console`.
pub fn start_echo(config: EchoConfig, console: Console) -> io::Result<ServerHandle> {
    if let Engine::EventLoop(options) = config.engine {
        return super::event_loop::echo::start(&config, options, console);
    }
    let listener = server::bind(config.bind)?;
    let reply: Arc<[u8]> = echo::reply_bytes(&config.reply, config.encoding).into();
    let encoding = config.encoding;
    let idle = config.idle_timeout;
    let lang = config.lang;
    let c = console.clone();
    let handler: server::Handler = Arc::new(move |stream, peer, shared: &Shared| {
        serve_client(stream, peer, (encoding, lang), &reply, idle, &c, shared)
    });
    server::start(
        listener,
        "echo",
        config.max_connections,
        console,
        move |peer| {
            let who = crate::pyrepr::python_socket_addr(peer);
            Some(echo::connected_line_in(lang, &who))
        },
        handler,
    )
}

fn serve_client(
    mut stream: TcpStream,
    peer: SocketAddr,
    (encoding, lang): (TextEncoding, crate::text::Lang),
    reply: &[u8],
    idle: Option<Duration>,
    console: &Console,
    shared: &Shared,
) {
    let who = crate::pyrepr::python_socket_addr(peer);
    let _ = stream.set_read_timeout(idle);
    let _ = stream.set_write_timeout(idle);
    let _ = stream.set_nodelay(true);
    let mut buf = vec![0u8; RECV_SIZE];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => {
                if !shared.stopping() {
                    console.line(echo::offline_line_in(lang, &who));
                }
                return;
            }
            Ok(n) => {
                console.line(echo::message_line(&encoding.decode_lossy(&buf[..n]), &who));
                if let Err(e) = stream.write_all(reply) {
                    console.line(format!("client connection error ({}): {who}", e.kind()));
                    return;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                let secs = idle.map_or(0, |d| d.as_secs());
                console.line(format!("client idle for {secs} s, disconnected: {who}"));
                return;
            }
            Err(e) => {
                if !shared.stopping() {
                    console.line(format!("client connection error ({}): {who}", e.kind()));
                }
                return;
            }
        }
    }
}
