//! Unit tests of the event-loop engine.

use super::*;
use crate::native::engine::AcceptMode;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream as StdStream;

/// A toy protocol: answers each read with its bytes upper-cased, and
/// panics on "boom" (a stand-in for a bug a client could trigger).
struct Upper;

impl Service for Upper {
    type Conn = ();
    type Local = ();
    const READ_SIZE: usize = 64;
    fn local(&self) {}
    fn open(&self, _: SocketAddr) {}
    fn received(
        &self,
        _: &mut (),
        _: &mut (),
        data: &[u8],
        out: &mut Output<'_>,
        _: Instant,
    ) -> Flow {
        assert!(data != b"boom", "a handler bug");
        out.extend_from_slice(&data.to_ascii_uppercase());
        Flow::Continue
    }
    fn timed_out(&self, _: &mut (), _: &mut (), _: Timeout, _: &mut Output<'_>) -> Flow {
        Flow::CloseNow
    }
}

fn ask(s: &mut StdStream, what: &[u8]) -> Vec<u8> {
    s.write_all(what).unwrap();
    let mut buf = vec![0u8; what.len()];
    s.read_exact(&mut buf).unwrap();
    buf
}

#[test]
fn a_panicking_handler_closes_only_its_connection() {
    for accept in [AcceptMode::ReusePort, AcceptMode::Handoff] {
        let server = start(
            Upper,
            Setup {
                addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                name: "upper",
                options: LoopOptions { loops: 1, accept },
                max_connections: 10,
                idle: Some(Duration::from_secs(5)),
            },
        )
        .unwrap();
        let addr = server.local_addr();
        let mut good = StdStream::connect(addr).unwrap();
        let mut bad = StdStream::connect(addr).unwrap();
        good.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        bad.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        assert_eq!(ask(&mut good, b"hello"), b"HELLO");
        bad.write_all(b"boom").unwrap();
        let mut rest = Vec::new();
        match bad.read_to_end(&mut rest) {
            Ok(_) => assert!(rest.is_empty()),
            Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset),
        }
        // The same loop goes on serving the other client, and new ones.
        assert_eq!(ask(&mut good, b"still"), b"STILL");
        let mut fresh = StdStream::connect(addr).unwrap();
        fresh
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        assert_eq!(ask(&mut fresh, b"new"), b"NEW");
        drop((good, fresh));
        let t0 = Instant::now();
        while server.active_connections() > 0 && t0.elapsed() < Duration::from_secs(5) {
            thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(server.active_connections(), 0);
        server.shutdown();
    }
}
