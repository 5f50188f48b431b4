//! The echo server as a [`Service`] of the event loop: the same lines and
//! replies as the threaded one ([`crate::native::echo`]), one `recv(1024)`'s
//! worth of bytes per message.

use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::time::Instant;

use super::{Flow, Output, Service, Setup, Timeout};
use crate::echo::{self, TextEncoding};
use crate::native::console::Console;
use crate::native::echo::{EchoConfig, RECV_SIZE};
use crate::native::engine::LoopOptions;
use crate::native::server::ServerHandle;
use crate::pyrepr::python_socket_addr;

struct EchoService {
    encoding: TextEncoding,
    reply: Vec<u8>,
    idle_secs: u64,
    /// The language of the console lines, as on the threads engine.
    lang: crate::text::Lang,
    console: Console,
}

/// One client: how the console names it, `('127.0.0.1', 50001)`.
struct Client {
    who: String,
}

/// Binds and starts the echo server on event loops.
pub(crate) fn start(
    config: &EchoConfig,
    options: LoopOptions,
    console: Console,
) -> io::Result<ServerHandle> {
    let service = EchoService {
        encoding: config.encoding,
        reply: echo::reply_bytes(&config.reply, config.encoding),
        idle_secs: config.idle_timeout.map_or(0, |d| d.as_secs()),
        lang: config.lang,
        console,
    };
    super::start(
        service,
        Setup {
            addr: config.bind,
            name: "echo",
            options,
            max_connections: config.max_connections,
            idle: config.idle_timeout,
        },
    )
}

impl Service for EchoService {
    type Conn = Client;
    type Local = ();
    const READ_SIZE: usize = RECV_SIZE;

    fn local(&self) {}

    fn open(&self, peer: SocketAddr) -> Client {
        let who = python_socket_addr(peer);
        self.console.line(echo::connected_line_in(self.lang, &who));
        Client { who }
    }

    fn received(
        &self,
        _: &mut (),
        client: &mut Client,
        data: &[u8],
        out: &mut Output<'_>,
        _: Instant,
    ) -> Flow {
        self.console.line(echo::message_line(
            &self.encoding.decode_lossy(data),
            &client.who,
        ));
        out.extend_from_slice(&self.reply);
        Flow::Continue
    }

    fn peer_closed(&self, client: &mut Client) {
        self.console
            .line(echo::offline_line_in(self.lang, &client.who));
    }

    fn failed(&self, client: &mut Client, err: &io::Error) {
        self.connection_error(client, err.kind());
    }

    fn timed_out(&self, _: &mut (), client: &mut Client, why: Timeout, _: &mut Output<'_>) -> Flow {
        match why {
            // The threaded server's blocking write gave up with this error.
            Timeout::Write => self.connection_error(client, ErrorKind::WouldBlock),
            Timeout::Idle | Timeout::Partial => self.console.line(format!(
                "client idle for {} s, disconnected: {}",
                self.idle_secs, client.who
            )),
        }
        Flow::CloseNow
    }
}

impl EchoService {
    fn connection_error(&self, client: &Client, kind: ErrorKind) {
        self.console
            .line(format!("client connection error ({kind}): {}", client.who));
    }
}
