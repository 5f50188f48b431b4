//! The real static web server on an ephemeral loopback port, talked to by
//! curl and by raw Rust sockets: keep-alive, HEAD, 404, traversal attempts,
//! malformed requests, oversized heads, slow clients, resets. After each, the
//! server still serves another client. Every check runs on both engines
//! (`threads::…`, `event_loop::…`, `event_loop_handoff::…`).
#![cfg(feature = "native")]

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::mpsc::Receiver;
use std::thread;
use std::time::{Duration, Instant};

use sockscope::native::{start_http, Console, Engine, HttpConfig, ServerHandle};

const INDEX: &str = "<!DOCTYPE html><title>sockscope test</title><h1>hello from the root</h1>\n";
const CSS: &str = "h1 { color: teal; }\n";
const SECRET: &str = "TOP-SECRET-OUTSIDE-ROOT";

struct Site {
    dir: PathBuf,
    server: ServerHandle,
    log: Receiver<String>,
}

impl Site {
    fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn site(name: &str, idle: Duration, engine: Engine) -> Site {
    let dir = std::env::temp_dir().join(format!(
        "sockscope-http-{name}-{}-{}",
        engine_tag(engine),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("www/docs")).unwrap();
    fs::write(dir.join("www/index.html"), INDEX).unwrap();
    fs::write(dir.join("www/style.css"), CSS).unwrap();
    fs::write(dir.join("www/docs/index.html"), "<p>docs</p>").unwrap();
    fs::write(dir.join("www/big.bin"), vec![b'x'; 8 * 1024 * 1024]).unwrap();
    fs::write(dir.join("secret.txt"), SECRET).unwrap();
    let (console, log) = Console::channel();
    let server = start_http(
        HttpConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            root: dir.join("www"),
            idle_timeout: idle,
            engine,
            ..HttpConfig::default()
        },
        console,
    )
    .expect("http server starts");
    Site { dir, server, log }
}

/// A distinct name per engine, so the same test on two engines in parallel
/// gets two directories.
fn engine_tag(engine: Engine) -> String {
    match engine {
        Engine::Threads => "threads".into(),
        Engine::EventLoop(o) => format!("loop{}{:?}", o.loops, o.accept),
    }
}

/// A minimal reader of one response: status code, headers, body (by Content-Length).
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn read_reply(s: &mut TcpStream, head_request: bool) -> Reply {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = s.read(&mut byte).unwrap();
        assert!(
            n == 1,
            "connection closed inside a response head: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).unwrap();
    let status: u16 = head[9..12].parse().unwrap();
    let mut reply = Reply {
        status,
        head,
        body: Vec::new(),
    };
    let len: usize = reply
        .header("content-length")
        .expect("Content-Length")
        .parse()
        .unwrap();
    if !head_request {
        reply.body = vec![0u8; len];
        s.read_exact(&mut reply.body).unwrap();
    }
    reply
}

fn send(addr: SocketAddr, raw: &[u8]) -> (Reply, TcpStream) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(raw).unwrap();
    let r = read_reply(&mut s, raw.starts_with(b"HEAD"));
    (r, s)
}

/// After a bad request the server closes that connection (read gives 0).
fn assert_closed(mut s: TcpStream) {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut rest = Vec::new();
    match s.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty(), "unexpected bytes {rest:?}"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
    }
}

/// A fresh client still gets the index page.
fn still_serves(addr: SocketAddr) {
    let (r, _) = send(
        addr,
        b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body, INDEX.as_bytes());
}

fn curl(args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .args(["-sS", "--max-time", "10"])
        .args(args)
        .output()
        .expect("curl runs (the test command installs it)")
}

fn curl_gets_pages_with_the_right_headers(engine: Engine) {
    let s = site("curl", Duration::from_secs(5), engine);
    let base = format!("http://{}", s.addr());

    let out = curl(&["-i", &format!("{base}/")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("Content-Type: text/html; charset=utf-8\r\n"));
    assert!(text.contains(&format!("Content-Length: {}\r\n", INDEX.len())));
    assert!(text.contains("Server: sockscope\r\n"));
    assert!(text.contains("Date: ") && text.contains(" GMT\r\n"));
    assert!(text.ends_with(INDEX));

    // HEAD: same headers, no body.
    let out = curl(&["-I", &format!("{base}/style.css")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("Content-Type: text/css; charset=utf-8\r\n"));
    assert!(text.contains(&format!("Content-Length: {}\r\n", CSS.len())));
    assert!(text.ends_with("\r\n\r\n"));

    // 404, with the status curl reports.
    let out = curl(&[
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &format!("{base}/missing.html"),
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "404");

    // Keep-alive: two URLs in one curl run reuse one connection.
    let out = curl(&[
        "-v",
        "-o",
        "/dev/null",
        "-o",
        "/dev/null",
        &format!("{base}/"),
        &format!("{base}/style.css"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Re-using existing connection") || err.contains("Reusing existing"),
        "{err}"
    );
    assert_eq!(err.matches("Connected to").count(), 1, "{err}");

    // One access-log line per request.
    let log: Vec<String> = s.log.try_iter().collect();
    assert!(
        log.iter().any(|l| l.contains("\"GET / HTTP/1.1\" 200")),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.contains("\"HEAD /style.css HTTP/1.1\" 200 0")),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.contains("\"GET /missing.html HTTP/1.1\" 404")),
        "{log:?}"
    );
    assert_eq!(log.len(), 5, "{log:?}");
}

fn keep_alive_and_pipelining_on_one_connection(engine: Engine) {
    let s = site("keepalive", Duration::from_secs(5), engine);
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    let a = read_reply(&mut c, false);
    assert_eq!(
        (a.status, a.header("connection").as_deref()),
        (200, Some("keep-alive"))
    );
    c.write_all(b"GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let b = read_reply(&mut c, false);
    assert_eq!(b.body, CSS.as_bytes());

    // Two requests in one segment get two responses, in order.
    c.write_all(b"HEAD /style.css HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let h = read_reply(&mut c, true);
    assert_eq!(h.status, 200);
    assert_eq!(h.header("content-length"), Some(CSS.len().to_string()));
    let n = read_reply(&mut c, false);
    assert_eq!(
        (n.status, n.header("connection").as_deref()),
        (404, Some("close"))
    );
    assert_closed(c);

    // HTTP/1.0 closes unless asked to keep alive.
    let (r, c) = send(s.addr(), b"GET /style.css HTTP/1.0\r\n\r\n");
    assert_eq!(r.header("connection").as_deref(), Some("close"));
    assert_closed(c);
    still_serves(s.addr());
}

fn other_statuses(engine: Engine) {
    let s = site("statuses", Duration::from_secs(5), engine);
    let (r, _) = send(s.addr(), b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    assert_eq!(
        (r.status, r.header("allow").as_deref()),
        (405, Some("GET, HEAD"))
    );
    let (r, _) = send(s.addr(), b"GET /docs?x=1 HTTP/1.1\r\n\r\n");
    assert_eq!(
        (r.status, r.header("location").as_deref()),
        (301, Some("/docs/?x=1"))
    );
    let (r, _) = send(s.addr(), b"GET /docs/ HTTP/1.1\r\n\r\n");
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, b"<p>docs</p>".as_slice())
    );
    let (r, c) = send(
        s.addr(),
        b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
    );
    assert_eq!(r.status, 413);
    assert_closed(c);
    still_serves(s.addr());
}

fn traversal_attempts_never_leave_the_root(engine: Engine) {
    let s = site("traversal", Duration::from_secs(5), engine);
    let attempts: &[&[u8]] = &[
        b"GET /../secret.txt HTTP/1.1\r\n\r\n",
        b"GET /docs/../../secret.txt HTTP/1.1\r\n\r\n",
        b"GET /%2e%2e/secret.txt HTTP/1.1\r\n\r\n",
        b"GET /%2E%2e/%2e%2E/secret.txt HTTP/1.1\r\n\r\n",
        b"GET /..%2fsecret.txt HTTP/1.1\r\n\r\n",
        b"GET /docs%2f..%2f..%2fsecret.txt HTTP/1.1\r\n\r\n",
        b"GET /..%5csecret.txt HTTP/1.1\r\n\r\n",
        b"GET /..\\secret.txt HTTP/1.1\r\n\r\n",
        b"GET /secret.txt%00.html HTTP/1.1\r\n\r\n",
        b"GET http://x/../secret.txt HTTP/1.1\r\n\r\n",
    ];
    for raw in attempts {
        let mut c = TcpStream::connect(s.addr()).unwrap();
        c.write_all(raw).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut all = Vec::new();
        // Ask to close after this one so read_to_end ends.
        let _ = c.shutdown(std::net::Shutdown::Write);
        let _ = c.read_to_end(&mut all);
        let text = String::from_utf8_lossy(&all);
        assert!(
            !text.contains(SECRET),
            "{:?} leaked the secret",
            String::from_utf8_lossy(raw)
        );
        let status = &text.get(9..12).unwrap_or("");
        assert!(
            *status == "400" || *status == "404",
            "{:?} answered {text:?}",
            String::from_utf8_lossy(raw)
        );
        still_serves(s.addr());
    }
}

fn malformed_and_oversized_requests(engine: Engine) {
    let s = site("malformed", Duration::from_secs(5), engine);
    let big_header = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    let long_uri = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9_000));
    let many_headers: String = format!(
        "GET / HTTP/1.1\r\n{}\r\n",
        (0..100).map(|i| format!("H{i}: v\r\n")).collect::<String>()
    );
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"GARBAGE\r\n\r\n".to_vec(), 400),
        (b"GET / HTTP/1.1 extra\r\n\r\n".to_vec(), 400),
        (b"GET /a b HTTP/1.1\r\n\r\n".to_vec(), 400),
        (b"GET / HTTP/2.0\r\n\r\n".to_vec(), 505),
        (b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n".to_vec(), 400),
        (
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
            400,
        ), // a TLS hello
        (big_header.into_bytes(), 431),
        (many_headers.into_bytes(), 431),
        (long_uri.into_bytes(), 414),
    ];
    for (raw, status) in cases {
        let (r, c) = send(s.addr(), &raw);
        assert_eq!(
            r.status,
            status,
            "{:?}",
            String::from_utf8_lossy(&raw[..raw.len().min(40)])
        );
        assert_eq!(r.header("connection").as_deref(), Some("close"));
        assert_closed(c);
        still_serves(s.addr());
    }
}

fn slow_clients_are_cut_off(engine: Engine) {
    let idle = Duration::from_millis(400);
    let s = site("slow", idle, engine);

    // Silent after connecting: closed without a word.
    let mut c = TcpStream::connect(s.addr()).unwrap();
    let t0 = Instant::now();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(c.read(&mut buf).unwrap(), 0);
    assert!(t0.elapsed() < Duration::from_secs(3));

    // Half a request, then silence: 408.
    let (r, c) = {
        let mut c = TcpStream::connect(s.addr()).unwrap();
        c.write_all(b"GET / HT").unwrap();
        (read_reply(&mut c, false), c)
    };
    assert_eq!(r.status, 408);
    assert_closed(c);

    // A byte at a time, each just inside the idle timeout: still cut off,
    // because the whole request must arrive within the timeout.
    let mut c = TcpStream::connect(s.addr()).unwrap();
    let t0 = Instant::now();
    let drip = b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut cut = false;
    for b in drip {
        if c.write_all(&[*b]).is_err() {
            cut = true;
            break;
        }
        thread::sleep(Duration::from_millis(150));
        c.set_nonblocking(true).unwrap();
        let mut peek = [0u8; 16];
        let got = c.peek(&mut peek);
        c.set_nonblocking(false).unwrap();
        if matches!(got, Ok(n) if n > 0) || matches!(got, Ok(0)) {
            cut = true;
            break;
        }
    }
    assert!(
        cut,
        "a dripping client kept its connection for {:?}",
        t0.elapsed()
    );
    assert!(t0.elapsed() < Duration::from_secs(3));
    still_serves(s.addr());
}

const PY_RESET: &str = r#"
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.send(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
data = s.recv(4096)
assert data.startswith(b"HTTP/1.1 200 OK"), data[:40]
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
"#;

fn a_client_that_resets_mid_response(engine: Engine) {
    let s = site("reset", Duration::from_secs(5), engine);
    for _ in 0..3 {
        let out = Command::new("python3")
            .args(["-c", PY_RESET, &s.addr().port().to_string()])
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // And with a Rust client that stops reading and closes early.
    for _ in 0..3 {
        let mut c = TcpStream::connect(s.addr()).unwrap();
        c.write_all(b"GET /big.bin HTTP/1.1\r\n\r\n").unwrap();
        let mut some = [0u8; 1000];
        c.read_exact(&mut some).unwrap();
        drop(c);
    }
    still_serves(s.addr());
    // The connection threads for the reset clients have ended.
    let t0 = Instant::now();
    while s.server.active_connections() > 0 && t0.elapsed() < Duration::from_secs(5) {
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(s.server.active_connections(), 0);
}

fn many_clients_at_once_with_keep_alive(engine: Engine) {
    let s = site("many", Duration::from_secs(5), engine);
    let addr = s.addr();
    let threads: Vec<_> = (0..16)
        .map(|_| {
            thread::spawn(move || {
                let mut c = TcpStream::connect(addr).unwrap();
                for i in 0..25 {
                    let path = if i % 2 == 0 { "/" } else { "/style.css" };
                    c.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
                        .unwrap();
                    let r = read_reply(&mut c, false);
                    assert_eq!(r.status, 200);
                    assert_eq!(
                        r.body,
                        if i % 2 == 0 {
                            INDEX.as_bytes()
                        } else {
                            CSS.as_bytes()
                        }
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    still_serves(addr);
}

fn shutdown_closes_open_connections(engine: Engine) {
    let s = site("shutdown", Duration::from_secs(30), engine);
    let addr = s.addr();
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    read_reply(&mut idle, false);
    let t0 = Instant::now();
    drop(s); // dropping the handle shuts the server down
    assert!(t0.elapsed() < Duration::from_secs(3));
    assert_closed(idle);
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

/// A request that arrives in many small pieces is buffered until it is
/// whole, then answered once.
fn a_request_in_many_pieces_is_answered_once_whole(engine: Engine) {
    let s = site("pieces", Duration::from_secs(5), engine);
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.set_nodelay(true).unwrap();
    let raw = b"GET /style.css HTTP/1.1\r\nHost: t\r\nX-Pieces: yes\r\n\r\n";
    for piece in raw.chunks(3) {
        c.write_all(piece).unwrap();
        thread::sleep(Duration::from_millis(5));
    }
    let r = read_reply(&mut c, false);
    assert_eq!((r.status, r.body.as_slice()), (200, CSS.as_bytes()));
    // Exactly one response: nothing more comes.
    c.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut more = [0u8; 16];
    assert!(c.read(&mut more).is_err(), "a second response arrived");
    let log: Vec<String> = s.log.try_iter().collect();
    assert_eq!(log.len(), 1, "{log:?}");
}

/// An 8 MiB file does not fit in the socket's buffers: it goes out as the
/// client makes room, whole and in order, to a client that reads slowly.
fn a_big_file_reaches_a_slow_reader_whole(engine: Engine) {
    let s = site("bigslow", Duration::from_secs(5), engine);
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.write_all(
        b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\nGET /style.css HTTP/1.1\r\nHost: t\r\n\r\n",
    )
    .unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    thread::sleep(Duration::from_millis(300)); // let the server fill every buffer
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        c.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Length: 8388608\r\n"), "{head}");
    let mut body = vec![0u8; 8 * 1024 * 1024];
    let mut got = 0;
    let mut pauses = 0;
    while got < body.len() {
        let end = (got + 256 * 1024).min(body.len());
        c.read_exact(&mut body[got..end]).unwrap();
        got = end;
        if pauses < 5 {
            thread::sleep(Duration::from_millis(40));
            pauses += 1;
        }
    }
    assert!(body.iter().all(|&b| b == b'x'));
    // The pipelined request behind it is answered after it, on time.
    let r = read_reply(&mut c, false);
    assert_eq!((r.status, r.body.as_slice()), (200, CSS.as_bytes()));
    still_serves(s.addr());
}

/// A client that pipelines requests and never reads the responses: the
/// server stops reading it once its responses back up, so the client's
/// `send` blocks and the server's memory stays flat.
fn a_pipelining_client_that_never_reads(engine: Engine) {
    let dir = std::env::temp_dir().join(format!(
        "sockscope-http-noread-{}-{}",
        engine_tag(engine),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    // 32 KiB answers to 40-byte requests: 800 times what comes in.
    fs::write(dir.join("page.html"), vec![b'p'; 32 * 1024]).unwrap();
    fs::write(dir.join("index.html"), INDEX).unwrap();
    let mut args = vec![
        "--mode".to_string(),
        "http".into(),
        "--quiet".into(),
        "--root".into(),
        dir.to_str().unwrap().into(),
    ];
    args.extend(common::engine_args(engine));
    let server = common::ServerProcess::start(&args);
    let hwm_start = server.status("VmHWM");

    let mut flood = TcpStream::connect(server.addr).unwrap();
    flood.set_nonblocking(true).unwrap();
    let requests = b"GET /page.html HTTP/1.1\r\nHost: t\r\n\r\n".repeat(100);
    let (sent, took, blocked) =
        common::flood_until_blocked(&mut flood, &server, &requests, 64 << 20);
    assert!(
        blocked,
        "the server kept reading a client that never reads: {} MiB of requests in {:?}",
        sent >> 20,
        took
    );
    let grown = server.status("VmHWM").saturating_sub(hwm_start);
    assert!(
        grown < 48 * 1024,
        "the server grew by {grown} kB after {} MiB of requests nobody reads",
        sent >> 20
    );
    let out = curl(&["-s", &format!("http://{}/", server.addr)]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), INDEX);
    drop(flood);
    let _ = fs::remove_dir_all(&dir);
}

for_each_engine!(
    curl_gets_pages_with_the_right_headers,
    keep_alive_and_pipelining_on_one_connection,
    other_statuses,
    traversal_attempts_never_leave_the_root,
    malformed_and_oversized_requests,
    slow_clients_are_cut_off,
    a_client_that_resets_mid_response,
    many_clients_at_once_with_keep_alive,
    shutdown_closes_open_connections,
    a_request_in_many_pieces_is_answered_once_whole,
    a_big_file_reaches_a_slow_reader_whole,
    a_pipelining_client_that_never_reads,
);
