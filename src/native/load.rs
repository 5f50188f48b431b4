//! The load client behind `sockscope bench`: N connections to an echo
//! server, each sending a message and waiting for the whole reply before it
//! sends the next (one message in flight per connection), for a fixed time.
//! It counts round trips.
//!
//! The client is itself an event loop ([`mio`]), a few threads each serving
//! many connections, so that on a small machine the load client does not
//! eat the cores with context switches and the figure measures the server.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream as StdStream};
use std::thread;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

/// What to run.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    pub addr: SocketAddr,
    /// Connections open at once, each with one message in flight.
    pub connections: usize,
    pub duration: Duration,
    /// The bytes sent as each message.
    pub message: Vec<u8>,
    /// How many bytes one reply has: a round trip ends when they have arrived.
    pub reply_len: usize,
    /// Client threads (event loops) sharing the connections.
    pub threads: usize,
}

/// The result of a load run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadResult {
    pub round_trips: u64,
    pub elapsed: Duration,
    /// Connections that broke (closed, reset, or a reply of the wrong size).
    pub errors: u64,
}

impl LoadResult {
    pub fn per_second(&self) -> f64 {
        self.round_trips as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Opens the connections, runs the load for `config.duration`, and counts.
pub fn echo_load(config: &LoadConfig) -> io::Result<LoadResult> {
    if config.reply_len == 0 || config.message.is_empty() {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            "the message and the reply must not be empty",
        ));
    }
    let threads = config.threads.clamp(1, config.connections.max(1));
    let mut groups: Vec<Vec<TcpStream>> = (0..threads).map(|_| Vec::new()).collect();
    for i in 0..config.connections {
        let s = StdStream::connect(config.addr).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot connect to {} (connection {i}): {e}", config.addr),
            )
        })?;
        s.set_nodelay(true)?;
        s.set_nonblocking(true)?;
        groups[i % threads].push(TcpStream::from_std(s));
    }
    let start = Instant::now();
    let end = start + config.duration;
    let workers: Vec<_> = groups
        .into_iter()
        .map(|conns| {
            let (message, reply_len) = (config.message.clone(), config.reply_len);
            thread::spawn(move || run(conns, &message, reply_len, end))
        })
        .collect();
    let mut total = LoadResult {
        round_trips: 0,
        elapsed: Duration::ZERO,
        errors: 0,
    };
    for w in workers {
        let (trips, errors) = w
            .join()
            .map_err(|_| io::Error::other("a load thread panicked"))??;
        total.round_trips += trips;
        total.errors += errors;
    }
    total.elapsed = start.elapsed();
    Ok(total)
}

struct Client {
    sock: TcpStream,
    /// Bytes of the current message not yet sent.
    to_send: usize,
    /// Bytes of the current reply received so far.
    got: usize,
    alive: bool,
}

/// One client thread: its connections in one event loop until `end`.
fn run(
    conns: Vec<TcpStream>,
    message: &[u8],
    reply_len: usize,
    end: Instant,
) -> io::Result<(u64, u64)> {
    let mut poll = Poll::new()?;
    let mut clients = Vec::with_capacity(conns.len());
    for (i, mut sock) in conns.into_iter().enumerate() {
        poll.registry()
            .register(&mut sock, Token(i), Interest::READABLE | Interest::WRITABLE)?;
        clients.push(Client {
            sock,
            to_send: message.len(),
            got: 0,
            alive: true,
        });
    }
    let (mut trips, mut errors) = (0u64, 0u64);
    let mut buf = vec![0u8; reply_len.max(4096)];
    // Every connection starts by sending its first message.
    for c in &mut clients {
        if !send(c, message) {
            c.alive = false;
            errors += 1;
        }
    }
    let mut events = Events::with_capacity(1024);
    loop {
        let now = Instant::now();
        if now >= end {
            break;
        }
        match poll.poll(&mut events, Some(end - now)) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        for event in events.iter() {
            let c = &mut clients[event.token().0];
            if !c.alive {
                continue;
            }
            if c.to_send > 0 && !send(c, message) {
                c.alive = false;
                errors += 1;
                continue;
            }
            // Read until the socket is empty; every whole reply is a round
            // trip, after which the next message goes out.
            loop {
                match c.sock.read(&mut buf) {
                    Ok(0) => {
                        c.alive = false;
                        errors += 1;
                        break;
                    }
                    Ok(n) => {
                        c.got += n;
                        if c.got > reply_len || (c.got == reply_len && c.to_send > 0) {
                            // More than one reply's worth: not the server we expected.
                            c.alive = false;
                            errors += 1;
                            break;
                        }
                        if c.got == reply_len {
                            trips += 1;
                            c.got = 0;
                            c.to_send = message.len();
                            if !send(c, message) {
                                c.alive = false;
                                errors += 1;
                                break;
                            }
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(_) => {
                        c.alive = false;
                        errors += 1;
                        break;
                    }
                }
            }
        }
    }
    Ok((trips, errors))
}

/// Sends what is left of the message; false if the connection broke.
fn send(c: &mut Client, message: &[u8]) -> bool {
    while c.to_send > 0 {
        match c.sock.write(&message[message.len() - c.to_send..]) {
            Ok(0) => return false,
            Ok(n) => c.to_send -= n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}
