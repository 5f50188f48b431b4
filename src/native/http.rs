//! The course's static web server, for real: a thread per connection,
//! HTTP/1.1 keep-alive, files from a directory. Parsing, the status decision
//! and the response head all come from [`crate::http`], the same code the
//! simulated server runs.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::console::Console;
use super::engine::Engine;
use super::files::DiskFiles;
use super::server::{self, ServerHandle, Shared};
use crate::http::{
    parse_request, serve_static, HttpDate, Limits, Parsed, Request, StaticReply, Status,
};

/// How the static web server runs.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub bind: SocketAddr,
    /// The directory served as `/`.
    pub root: PathBuf,
    pub max_connections: usize,
    /// A connection with no request for this long is closed, and a request
    /// must arrive whole within it (else 408).
    pub idle_timeout: Duration,
    pub limits: Limits,
    /// Print one line per request.
    pub access_log: bool,
    /// A thread per connection (the default) or event loops.
    pub engine: Engine,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            root: PathBuf::from("dist"),
            max_connections: 1024,
            idle_timeout: Duration::from_secs(15),
            limits: Limits::default(),
            access_log: true,
            engine: Engine::Threads,
        }
    }
}

struct Ctx {
    files: DiskFiles,
    limits: Limits,
    idle: Duration,
    access_log: bool,
    console: Console,
}

/// Checks the root, binds, and starts the server on the configured engine.
pub fn start_http(config: HttpConfig, console: Console) -> io::Result<ServerHandle> {
    if let Engine::EventLoop(options) = config.engine {
        return super::event_loop::http::start(&config, options, console);
    }
    let files = DiskFiles::new(&config.root)?;
    let listener = server::bind(config.bind)?;
    let ctx = Arc::new(Ctx {
        files,
        limits: config.limits,
        idle: config.idle_timeout,
        access_log: config.access_log,
        console: console.clone(),
    });
    let handler: server::Handler =
        Arc::new(move |stream, peer, shared: &Shared| serve_connection(stream, peer, &ctx, shared));
    server::start(
        listener,
        "http",
        config.max_connections,
        console,
        |_| None,
        handler,
    )
}

/// The `Date` header, reformatted only when the second changes.
pub(crate) struct Clock {
    date: HttpDate,
}

impl Clock {
    pub(crate) fn new() -> Clock {
        Clock {
            date: HttpDate::from_unix_secs(now_secs()),
        }
    }

    pub(crate) fn now(&mut self) -> &HttpDate {
        let s = now_secs();
        if s != self.date.unix_secs() {
            self.date = HttpDate::from_unix_secs(s);
        }
        &self.date
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn serve_connection(mut stream: TcpStream, peer: SocketAddr, ctx: &Ctx, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(ctx.idle));
    let _ = stream.set_write_timeout(Some(ctx.idle));
    let _ = stream.set_nodelay(true);
    let mut clock = Clock::new();
    let mut inbox: Vec<u8> = Vec::with_capacity(1024);
    let mut outbox: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = vec![0u8; 16 * 1024];
    // When the first byte of the request being read arrived.
    let mut started: Option<Instant> = None;

    loop {
        // Answer every whole request already received (pipelining), then
        // send the answers in one write.
        let mut close = false;
        loop {
            match parse_request(&inbox, &ctx.limits) {
                Ok(Parsed::Complete { message: req, len }) => {
                    let keep = req.keep_alive() && !shared.stopping();
                    let reply = serve_static(&req, &ctx.files);
                    reply.write_to(clock.now(), keep, &mut outbox);
                    if ctx.access_log {
                        ctx.console.line(access_line(peer, &req, &reply));
                    }
                    inbox.drain(..len);
                    started = (!inbox.is_empty()).then(Instant::now);
                    if !keep {
                        close = true;
                        break;
                    }
                }
                Ok(Parsed::Partial) => break,
                Err(e) => {
                    let reply = StaticReply::error(e.status(), e.to_string());
                    reply.write_to(clock.now(), false, &mut outbox);
                    log_error(ctx, peer, &reply);
                    close = true;
                    break;
                }
            }
        }
        if !outbox.is_empty() {
            if stream.write_all(&outbox).is_err() {
                // The client went away (or reset) mid-reply: only this
                // connection ends.
                return;
            }
            outbox.clear();
        }
        if close {
            return linger_close(stream);
        }

        // Read more.
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                inbox.extend_from_slice(&chunk[..n]);
                match started {
                    None => started = Some(Instant::now()),
                    // Bytes keep trickling in but the request never completes.
                    Some(first) if first.elapsed() > ctx.idle => {
                        if matches!(parse_request(&inbox, &ctx.limits), Ok(Parsed::Partial)) {
                            return timeout(stream, peer, ctx, &mut clock);
                        }
                    }
                    Some(_) => {}
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if inbox.is_empty() {
                    return; // an idle keep-alive connection: close quietly
                }
                return timeout(stream, peer, ctx, &mut clock);
            }
            Err(_) => return,
        }
    }
}

/// 408 for a request that did not arrive in time.
fn timeout(mut stream: TcpStream, peer: SocketAddr, ctx: &Ctx, clock: &mut Clock) {
    let reply = StaticReply::error(Status::REQUEST_TIMEOUT, "request not received in time");
    let _ = stream.write_all(&reply.to_bytes(clock.now(), false));
    log_error(ctx, peer, &reply);
    linger_close(stream)
}

fn log_error(ctx: &Ctx, peer: SocketAddr, reply: &StaticReply) {
    if ctx.access_log {
        ctx.console.line(error_line(peer, reply));
    }
}

/// The access-log line of an answered request (both engines print it).
pub(crate) fn access_line(peer: SocketAddr, req: &Request, reply: &StaticReply) -> String {
    format!(
        "{peer} \"{} {} {}\" {} {}",
        req.method,
        req.target,
        req.version,
        reply.status.code(),
        reply.body_to_send().len()
    )
}

/// The access-log line of a request that could not be read (400, 408, 413…).
pub(crate) fn error_line(peer: SocketAddr, reply: &StaticReply) -> String {
    format!(
        "{peer} \"-\" {} {} ({})",
        reply.status.code(),
        reply.body_to_send().len(),
        reply.note.as_deref().unwrap_or("")
    )
}

/// Closes after an error reply without losing it: closing a socket with
/// unread bytes makes the kernel send a reset, which can destroy the reply
/// before the client reads it. So: stop sending, read and drop what the
/// client still sends (briefly), then close.
fn linger_close(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 4096];
    let mut total = 0usize;
    while Instant::now() < deadline && total < 256 * 1024 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}
