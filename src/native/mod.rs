//! Real sockets and threads (feature `native`): the course's programs for
//! real, built on the same shared code the simulation runs.
//!
//! - [`echo::start_echo`]: the multi-threaded TCP server that answers every
//!   message, printing the lines of [`crate::echo`].
//! - [`http::start_http`]: the static web server, answering with
//!   [`crate::http::serve_static`].
//! - [`client::run_client`]: a client for the echo server.
//! - [`console::Console`]: where the servers print (stdout, or a channel in tests).
//! - [`server::ServerHandle`]: what both `start_*` return: the bound address
//!   and `shutdown()`. Tests start servers on port 0 in-process.
//! - [`Engine`]: how a server waits for its clients: a thread per client
//!   ([`server`], the course's design, the default) or event loops
//!   ([`event_loop`], one thread per core serving many sockets).
//! - [`headless`]: plays a simulated lesson without a browser (`sockscope sim`).
//! - [`load::echo_load`]: the echo load generator behind `sockscope bench`.

pub mod client;
pub mod console;
pub mod echo;
pub mod engine;
pub mod event_loop;
pub mod files;
pub mod headless;
pub mod http;
pub mod load;
pub mod server;

pub use client::{run_client, ClientConfig};
pub use console::Console;
pub use echo::{start_echo, EchoConfig};
pub use engine::{AcceptMode, Engine, LoopOptions};
pub use http::{start_http, HttpConfig};
pub use server::ServerHandle;

use std::sync::mpsc;

/// Ctrl-C (or SIGTERM), caught from the moment this is made: install it
/// before the server starts listening, so that a signal that comes as soon
/// as the first client is served still shuts the server down cleanly.
pub struct Interrupt(mpsc::Receiver<()>);

impl Interrupt {
    /// Installs the handler (once per process).
    pub fn install() -> std::io::Result<Interrupt> {
        let (tx, rx) = mpsc::channel();
        ctrlc::set_handler(move || {
            let _ = tx.send(());
        })
        .map_err(|e| std::io::Error::other(format!("cannot install the Ctrl-C handler: {e}")))?;
        Ok(Interrupt(rx))
    }

    /// Blocks until the signal, then shuts the server down cleanly.
    pub fn shut_down_on_signal(self, handle: ServerHandle) {
        let _ = self.0.recv();
        eprintln!("sockscope: shutting down");
        handle.shutdown();
    }
}
