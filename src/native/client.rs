//! A real client for the echo server, like the course's: connect, send each
//! message, `recv(1024)` the reply and print it, close.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::echo::TextEncoding;

/// How the client runs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub host: String,
    pub port: u16,
    pub encoding: TextEncoding,
    /// How long to wait for the connection and for each reply.
    pub timeout: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            host: "127.0.0.1".into(),
            port: crate::sim::lessons::code::LESSON_PORT,
            encoding: TextEncoding::Gbk,
            timeout: Duration::from_secs(5),
        }
    }
}

/// Sends each message and writes each decoded reply to `out`, one per line.
pub fn run_client(
    config: &ClientConfig,
    messages: &[String],
    out: &mut dyn Write,
) -> io::Result<()> {
    let addrs: Vec<_> = (config.host.as_str(), config.port)
        .to_socket_addrs()
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot resolve host {:?}: {e}", config.host),
            )
        })?
        .collect();
    let mut last_err = io::Error::new(
        io::ErrorKind::NotFound,
        format!("no address for {:?}", config.host),
    );
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, config.timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => {
                last_err = io::Error::new(e.kind(), format!("cannot connect to {addr}: {e}"));
            }
        }
    }
    let mut stream = stream.ok_or(last_err)?;
    stream.set_read_timeout(Some(config.timeout))?;
    let mut buf = [0u8; 1024];
    for message in messages {
        stream.write_all(&config.encoding.encode(message))?;
        let n = stream
            .read(&mut buf)
            .map_err(|e| io::Error::new(e.kind(), format!("no reply to {message:?}: {e}")))?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        writeln!(out, "{}", config.encoding.decode_lossy(&buf[..n]))?;
    }
    Ok(())
}
