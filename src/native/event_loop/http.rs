//! The static web server as a [`Service`] of the event loop. The HTTP is the
//! shared [`crate::http`] module, called exactly as the threaded server
//! ([`crate::native::http`]) calls it; what differs is only where bytes wait:
//! a partial request in the connection's inbox until `parse_request` says
//! `Complete`, the responses in its outbox until the socket takes them.

use std::io;
use std::net::SocketAddr;
use std::time::Instant;

use super::outbox::SHARE_AT;
use super::{Flow, Output, Service, Setup, Timeout, OUT_LIMIT};
use crate::http::{parse_request, serve_static, HttpDate, Limits, Parsed, StaticReply, Status};
use crate::native::console::Console;
use crate::native::engine::LoopOptions;
use crate::native::files::DiskFiles;
use crate::native::http::{access_line, error_line, Clock, HttpConfig};
use crate::native::server::ServerHandle;

struct HttpService {
    files: DiskFiles,
    limits: Limits,
    access_log: bool,
    console: Console,
}

/// One connection: the bytes of requests not yet complete.
struct Client {
    peer: SocketAddr,
    inbox: Vec<u8>,
    /// When the first byte of the request in `inbox` arrived.
    started: Option<Instant>,
}

/// Checks the root, binds, and starts the web server on event loops.
pub(crate) fn start(
    config: &HttpConfig,
    options: LoopOptions,
    console: Console,
) -> io::Result<ServerHandle> {
    let service = HttpService {
        files: DiskFiles::new(&config.root)?,
        limits: config.limits,
        access_log: config.access_log,
        console,
    };
    super::start(
        service,
        Setup {
            addr: config.bind,
            name: "http",
            options,
            max_connections: config.max_connections,
            idle: Some(config.idle_timeout),
        },
    )
}

impl Service for HttpService {
    type Conn = Client;
    type Local = Clock;
    const READ_SIZE: usize = usize::MAX;

    fn local(&self) -> Clock {
        Clock::new()
    }

    fn open(&self, peer: SocketAddr) -> Client {
        Client {
            peer,
            inbox: Vec::new(),
            started: None,
        }
    }

    fn received(
        &self,
        clock: &mut Clock,
        client: &mut Client,
        data: &[u8],
        out: &mut Output<'_>,
        now: Instant,
    ) -> Flow {
        if !client.inbox.is_empty() {
            client.inbox.extend_from_slice(data);
            return self.answer_inbox(clock, client, out, now);
        }
        // The usual case: nothing held back, so parse straight from the
        // loop's read buffer and keep only an incomplete tail.
        let (used, flow, answered) = self.answer(clock, client.peer, data, out);
        if flow == Flow::Continue {
            client.inbox.extend_from_slice(&data[used..]);
        }
        self.note_progress(client, answered, now);
        flow
    }

    fn resume(
        &self,
        clock: &mut Clock,
        client: &mut Client,
        out: &mut Output<'_>,
        now: Instant,
    ) -> Flow {
        if client.inbox.is_empty() {
            return Flow::Continue;
        }
        self.answer_inbox(clock, client, out, now)
    }

    fn request_started(&self, client: &Client) -> Option<Instant> {
        client.started
    }

    fn timed_out(
        &self,
        clock: &mut Clock,
        client: &mut Client,
        why: Timeout,
        out: &mut Output<'_>,
    ) -> Flow {
        match why {
            // An idle keep-alive connection, or a client that stopped
            // reading its response: close quietly, as the threads engine.
            Timeout::Idle | Timeout::Write => Flow::CloseNow,
            Timeout::Partial => {
                let reply =
                    StaticReply::error(Status::REQUEST_TIMEOUT, "request not received in time");
                write_reply(&reply, clock.now(), false, out);
                self.log_error(client.peer, &reply);
                client.inbox.clear();
                client.started = None;
                Flow::Linger
            }
        }
    }
}

impl HttpService {
    fn answer_inbox(
        &self,
        clock: &mut Clock,
        client: &mut Client,
        out: &mut Output<'_>,
        now: Instant,
    ) -> Flow {
        let inbox = std::mem::take(&mut client.inbox);
        let (used, flow, answered) = self.answer(clock, client.peer, &inbox, out);
        client.inbox = inbox;
        if flow == Flow::Continue {
            client.inbox.drain(..used);
        } else {
            client.inbox.clear();
        }
        self.note_progress(client, answered, now);
        flow
    }

    /// Answers the whole requests at the start of `buf`, in order, while the
    /// output is under the limit. Returns the bytes used, what next, and
    /// whether any request was answered.
    fn answer(
        &self,
        clock: &mut Clock,
        peer: SocketAddr,
        buf: &[u8],
        out: &mut Output<'_>,
    ) -> (usize, Flow, bool) {
        let mut used = 0;
        let mut answered = false;
        while used < buf.len() && out.len() <= OUT_LIMIT {
            match parse_request(&buf[used..], &self.limits) {
                Ok(Parsed::Complete { message: req, len }) => {
                    used += len;
                    answered = true;
                    let keep = req.keep_alive();
                    let reply = serve_static(&req, &self.files);
                    write_reply(&reply, clock.now(), keep, out);
                    if self.access_log {
                        self.console.line(access_line(peer, &req, &reply));
                    }
                    if !keep {
                        return (used, Flow::Linger, answered);
                    }
                }
                Ok(Parsed::Partial) => break,
                Err(e) => {
                    let reply = StaticReply::error(e.status(), e.to_string());
                    write_reply(&reply, clock.now(), false, out);
                    self.log_error(peer, &reply);
                    return (buf.len(), Flow::Linger, answered);
                }
            }
        }
        (used, Flow::Continue, answered)
    }

    /// The whole request must arrive within the idle timeout of its first
    /// byte (a pipelined one: of the answer before it), as in the threads engine.
    fn note_progress(&self, client: &mut Client, answered: bool, now: Instant) {
        client.started = if client.inbox.is_empty() {
            None
        } else if answered || client.started.is_none() {
            Some(now)
        } else {
            client.started
        };
    }

    fn log_error(&self, peer: SocketAddr, reply: &StaticReply) {
        if self.access_log {
            self.console.line(error_line(peer, reply));
        }
    }
}

/// Queues a response: copied whole when small, a large body by reference.
fn write_reply(reply: &StaticReply, date: &HttpDate, keep_alive: bool, out: &mut Output<'_>) {
    if reply.body_to_send().len() >= SHARE_AT {
        out.append_with(|v| reply.head(date, keep_alive).write_to(v));
        out.push_shared(reply.body.clone());
    } else {
        out.append_with(|v| reply.write_to(date, keep_alive, v));
    }
}
