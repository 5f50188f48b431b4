//! The real echo server on an ephemeral loopback port, talked to by real
//! clients: Rust sockets, a plain Python socket client (GBK and UTF-8), many
//! clients at once, a silent client, a client that resets, and the CLI.
//! Every check runs on both engines (`threads::…`, `event_loop::…`,
//! `event_loop_handoff::…`; see `common::for_each_engine`).
#![cfg(feature = "native")]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::sync::mpsc::Receiver;
use std::thread;
use std::time::{Duration, Instant};

use sockscope::echo::{self, TextEncoding, DEFAULT_REPLY};
use sockscope::native::{
    run_client, start_echo, ClientConfig, Console, EchoConfig, Engine, ServerHandle,
};

fn config(encoding: TextEncoding, engine: Engine) -> EchoConfig {
    EchoConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        encoding,
        engine,
        ..EchoConfig::default()
    }
}

fn start(config: EchoConfig) -> (ServerHandle, Receiver<String>) {
    let (console, lines) = Console::channel();
    (
        start_echo(config, console).expect("echo server starts"),
        lines,
    )
}

fn next_line(lines: &Receiver<String>) -> String {
    lines
        .recv_timeout(Duration::from_secs(5))
        .expect("the server prints a line within 5 s")
}

/// Sends `text` and reads the whole reply.
fn round_trip(s: &mut TcpStream, text: &str, enc: TextEncoding, reply: &str) -> String {
    s.write_all(&enc.encode(text)).unwrap();
    let want = enc.encode(reply).len();
    let mut buf = vec![0u8; want];
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.read_exact(&mut buf).unwrap();
    enc.decode_strict(&buf).expect("reply decodes")
}

fn who(s: &TcpStream) -> String {
    sockscope::pyrepr::python_socket_addr(s.local_addr().unwrap())
}

/// The server still answers a fresh client correctly.
fn still_serves(addr: SocketAddr, enc: TextEncoding, lines: &Receiver<String>) {
    let mut s = TcpStream::connect(addr).unwrap();
    assert_eq!(next_line(lines), echo::connected_line(&who(&s)));
    assert_eq!(
        round_trip(&mut s, "ping", enc, DEFAULT_REPLY),
        DEFAULT_REPLY
    );
    assert_eq!(next_line(lines), echo::message_line("ping", &who(&s)));
    let me = who(&s);
    drop(s);
    assert_eq!(next_line(lines), echo::offline_line(&me));
}

fn console_lines_for_a_sequence_of_client_actions(engine: Engine) {
    let (server, lines) = start(config(TextEncoding::Gbk, engine));
    let addr = server.local_addr();
    let enc = TextEncoding::Gbk;

    let mut a = TcpStream::connect(addr).unwrap();
    let a_who = who(&a);
    assert_eq!(next_line(&lines), echo::connected_line(&a_who));
    let mut b = TcpStream::connect(addr).unwrap();
    let b_who = who(&b);
    assert_eq!(next_line(&lines), echo::connected_line(&b_who));

    // The reply is exactly the shared reply text, GBK-encoded.
    a.write_all(&enc.encode("你好")).unwrap();
    let mut buf = vec![0u8; echo::reply_bytes(DEFAULT_REPLY, enc).len()];
    a.read_exact(&mut buf).unwrap();
    assert_eq!(buf, echo::reply_bytes(DEFAULT_REPLY, enc));
    assert_eq!(next_line(&lines), echo::message_line("你好", &a_who));

    assert_eq!(
        round_trip(&mut b, "hello2", enc, DEFAULT_REPLY),
        DEFAULT_REPLY
    );
    assert_eq!(next_line(&lines), echo::message_line("hello2", &b_who));

    drop(a);
    assert_eq!(next_line(&lines), echo::offline_line(&a_who));
    assert_eq!(
        round_trip(&mut b, "still here", enc, DEFAULT_REPLY),
        DEFAULT_REPLY
    );
    assert_eq!(next_line(&lines), echo::message_line("still here", &b_who));
    drop(b);
    assert_eq!(next_line(&lines), echo::offline_line(&b_who));

    // The lines look like the course's Python output.
    assert!(echo::connected_line(&a_who).starts_with("client connected: ('127.0.0.1', "));
    server.shutdown();
}

const PY_CLIENT: &str = r#"
import socket, sys
port, codec = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", port))
print(s.getsockname()[1], flush=True)
for msg in sys.argv[3:]:
    s.send(msg.encode(codec))
    data = s.recv(1024)
    print(data.decode(codec))
s.close()
"#;

fn python(script: &str, args: &[String]) -> std::process::Output {
    Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (it must be on PATH)")
}

fn a_python_socket_client_talks_gbk_and_utf8(engine: Engine) {
    for enc in TextEncoding::ALL {
        let (server, lines) = start(config(enc, engine));
        let port = server.local_addr().port();
        let msgs = ["你好，服务器", "hello", "第三条消息"];
        let mut args = vec![port.to_string(), enc.python_name().to_string()];
        args.extend(msgs.iter().map(|m| m.to_string()));
        let out = python(PY_CLIENT, &args);
        assert!(
            out.status.success(),
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let mut out_lines = stdout.lines();
        let py_port: u16 = out_lines.next().unwrap().parse().unwrap();
        let replies: Vec<&str> = out_lines.collect();
        assert_eq!(replies, vec![DEFAULT_REPLY; 3], "{enc}");

        let py = sockscope::pyrepr::python_addr("127.0.0.1", py_port);
        let mut expected = vec![echo::connected_line(&py)];
        expected.extend(msgs.iter().map(|m| echo::message_line(m, &py)));
        expected.push(echo::offline_line(&py));
        let got: Vec<String> = (0..expected.len()).map(|_| next_line(&lines)).collect();
        assert_eq!(got, expected, "{enc}");
        server.shutdown();
    }
}

fn many_clients_at_once(engine: Engine) {
    let (server, lines) = start(config(TextEncoding::Utf8, engine));
    let addr = server.local_addr();
    let clients = 20;
    let rounds = 10;
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                for r in 0..rounds {
                    let reply = round_trip(
                        &mut s,
                        &format!("c{c} r{r}"),
                        TextEncoding::Utf8,
                        DEFAULT_REPLY,
                    );
                    assert_eq!(reply, DEFAULT_REPLY);
                }
                who(&s)
            })
        })
        .collect();
    let whos: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let got: Vec<String> = (0..clients * (rounds + 2))
        .map(|_| next_line(&lines))
        .collect();
    for (c, w) in whos.iter().enumerate() {
        let mine: Vec<&String> = got.iter().filter(|l| l.ends_with(w.as_str())).collect();
        assert_eq!(mine.len(), rounds + 2, "{w}: {mine:?}");
        assert_eq!(*mine[0], echo::connected_line(w));
        for r in 0..rounds {
            assert_eq!(*mine[r + 1], echo::message_line(&format!("c{c} r{r}"), w));
        }
        assert_eq!(*mine[rounds + 1], echo::offline_line(w));
    }
    server.shutdown();
}

fn past_the_limit_clients_wait_in_the_backlog(engine: Engine) {
    let mut cfg = config(TextEncoding::Utf8, engine);
    cfg.max_connections = 2;
    let (server, lines) = start(cfg);
    let addr = server.local_addr();
    let enc = TextEncoding::Utf8;
    let mut a = TcpStream::connect(addr).unwrap();
    let _b = TcpStream::connect(addr).unwrap();
    round_trip(&mut a, "a", enc, DEFAULT_REPLY);

    // The third handshake completes in the kernel, but no thread serves it yet.
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"waiting").unwrap();
    c.set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(
        c.read(&mut buf).is_err(),
        "no reply while the server is full"
    );
    assert_eq!(server.active_connections(), 2);

    drop(a);
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let want = enc.encode(DEFAULT_REPLY);
    let mut got = vec![0u8; want.len()];
    c.read_exact(&mut got).unwrap();
    assert_eq!(got, want);
    drop(lines);
    server.shutdown();
}

fn a_silent_client_is_cut_off_by_the_idle_timeout(engine: Engine) {
    let mut cfg = config(TextEncoding::Gbk, engine);
    cfg.idle_timeout = Some(Duration::from_millis(300));
    let (server, lines) = start(cfg);
    let mut s = TcpStream::connect(server.local_addr()).unwrap();
    assert_eq!(next_line(&lines), echo::connected_line(&who(&s)));
    let t0 = Instant::now();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(
        s.read(&mut buf).unwrap(),
        0,
        "the server closed the connection"
    );
    assert!(t0.elapsed() < Duration::from_secs(3));
    let line = next_line(&lines);
    assert!(line.contains("idle") && line.ends_with(&who(&s)), "{line}");
    still_serves(server.local_addr(), TextEncoding::Gbk, &lines);
}

const PY_RESET: &str = r#"
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.send(b"x" * 5000)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
"#;

fn a_client_that_resets_does_not_take_the_server_down(engine: Engine) {
    let (server, lines) = start(config(TextEncoding::Gbk, engine));
    let port = server.local_addr().port();
    for _ in 0..5 {
        let out = python(PY_RESET, &[port.to_string()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Give the server threads time to hit the reset, then drain their lines.
    thread::sleep(Duration::from_millis(300));
    while lines.try_recv().is_ok() {}
    still_serves(server.local_addr(), TextEncoding::Gbk, &lines);
}

fn the_library_client_prints_each_reply(engine: Engine) {
    let mut cfg = config(TextEncoding::Utf8, engine);
    cfg.reply = "ok".into();
    let (server, lines) = start(cfg);
    let client = ClientConfig {
        port: server.local_addr().port(),
        encoding: TextEncoding::Utf8,
        ..ClientConfig::default()
    };
    let mut out = Vec::new();
    run_client(&client, &["one".into(), "二".into()], &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "ok\nok\n");
    assert!(next_line(&lines).starts_with("client connected: "));
    assert!(next_line(&lines).starts_with("one ("));
    assert!(next_line(&lines).starts_with("二 ("));
}

use common::sockscope;

fn cli_errors_name_what_was_wrong(engine: Engine) {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = sockscope()
        .args(["serve", "--mode", "echo", "--port", &port])
        .args(common::engine_args(engine))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port} is already in use")),
        "{err}"
    );

    let out = sockscope()
        .args(["serve", "--mode", "echo", "--port", "70000"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port"));

    let out = sockscope()
        .args([
            "serve",
            "--mode",
            "http",
            "--port",
            "0",
            "--root",
            "/no/such/dir",
        ])
        .args(common::engine_args(engine))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/dir"));

    let out = sockscope()
        .args(["client", "--port", &port, "--timeout-secs", "1", "hi"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "nobody answers on a bare listener");
    let out = sockscope()
        .args(["serve", "--mode", "chat"])
        .output()
        .unwrap();
    assert!(!out.status.success());

    for sub in ["serve", "client"] {
        let out = sockscope().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: sockscope"));
    }
}

fn the_cli_client_talks_to_the_server(engine: Engine) {
    let (server, _lines) = start(config(TextEncoding::Gbk, engine));
    let port = server.local_addr().port().to_string();
    let out = sockscope()
        .args([
            "client",
            "--port",
            &port,
            "--encoding",
            "gbk",
            "你好",
            "再见",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{DEFAULT_REPLY}\n{DEFAULT_REPLY}\n")
    );
}

/// Replaces each `('ip', port)` with `client#N`, numbered by first appearance.
fn normalize(lines: &[String]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    lines
        .iter()
        .map(|l| {
            let start = l.rfind("('").expect("a line ends with an address");
            let addr = l[start..].to_string();
            let n = match seen.iter().position(|a| *a == addr) {
                Some(i) => i,
                None => {
                    seen.push(addr);
                    seen.len() - 1
                }
            };
            format!("{}client#{n}", &l[..start])
        })
        .collect()
}

fn the_real_console_matches_the_simulated_one(engine: Engine) {
    use sockscope::native::headless;
    use sockscope::sim::{HostId, Lang, LessonId, Setup};

    for lang in [Lang::En, Lang::Zh] {
        for lesson in [LessonId::Echo, LessonId::MultiClient] {
            let setup = Setup::new(lesson, lesson.info().default_seed).in_lang(lang);
            let world = setup.config();
            let run = headless::play_setup(setup);
            let sim_lines: Vec<String> = run
                .console(HostId::SERVER)
                .into_iter()
                .filter(|l| l.ends_with(')') && l.contains("('"))
                .map(str::to_string)
                .collect();
            assert!(!sim_lines.is_empty(), "{lesson:?} printed no client lines");
            // The messages the simulated clients sent are the lesson's own.
            let sent: Vec<String> = world.clients.iter().flat_map(|c| c.args.clone()).collect();
            let sim_norm = normalize(&sim_lines);

            // Replay the same client actions, in the order the simulated server
            // saw them, against the real server in the same language.
            let reply = echo::default_reply(lang).to_string();
            let cfg = EchoConfig {
                reply: reply.clone(),
                lang,
                ..config(TextEncoding::Gbk, engine)
            };
            let (server, lines) = start(cfg);
            let mut clients: Vec<Option<TcpStream>> = Vec::new();
            let mut real_lines = Vec::new();
            for line in &sim_norm {
                let n: usize = line.rsplit("client#").next().unwrap().parse().unwrap();
                let prefix = &line[..line.rfind("client#").unwrap()];
                if prefix == echo::connected_line_in(lang, "") {
                    assert_eq!(clients.len(), n);
                    clients.push(Some(TcpStream::connect(server.local_addr()).unwrap()));
                } else if prefix == echo::offline_line_in(lang, "") {
                    clients[n] = None;
                } else {
                    let text = prefix.strip_suffix(' ').unwrap();
                    assert!(
                        sent.iter().any(|m| m == text),
                        "{text:?} is not a lesson message"
                    );
                    let s = clients[n].as_mut().unwrap();
                    assert_eq!(round_trip(s, text, TextEncoding::Gbk, &reply), reply);
                }
                real_lines.push(next_line(&lines));
            }
            assert_eq!(normalize(&real_lines), sim_norm, "{lesson:?} {lang:?}");
            server.shutdown();
        }
    }
}

/// The idle timeout counts from a client's last message: one that keeps
/// talking stays, a silent one beside it is cut off.
fn activity_keeps_a_client_past_the_idle_timeout(engine: Engine) {
    let mut cfg = config(TextEncoding::Utf8, engine);
    cfg.idle_timeout = Some(Duration::from_millis(600));
    let (server, lines) = start(cfg);
    let addr = server.local_addr();
    let mut talker = TcpStream::connect(addr).unwrap();
    let mut silent = TcpStream::connect(addr).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let t0 = Instant::now();
    let mut silent_cut = None;
    for i in 0..14 {
        let reply = round_trip(
            &mut talker,
            &format!("tick {i}"),
            TextEncoding::Utf8,
            DEFAULT_REPLY,
        );
        assert_eq!(reply, DEFAULT_REPLY, "the talking client was cut off");
        if silent_cut.is_none() {
            silent.set_nonblocking(true).unwrap();
            let mut b = [0u8; 8];
            if let Ok(0) = silent.read(&mut b) {
                silent_cut = Some(t0.elapsed());
            }
            silent.set_nonblocking(false).unwrap();
        }
        thread::sleep(Duration::from_millis(150));
    }
    // 14 × 150 ms: three times the idle timeout, and still served.
    assert!(t0.elapsed() > Duration::from_millis(1800));
    let cut = silent_cut.expect("the silent client was disconnected");
    assert!(
        cut >= Duration::from_millis(500) && cut < Duration::from_millis(1800),
        "{cut:?}"
    );
    let got: Vec<String> = lines.try_iter().collect();
    let idle: Vec<&String> = got.iter().filter(|l| l.contains("idle")).collect();
    assert_eq!(idle.len(), 1, "{got:?}");
    assert!(idle[0].ends_with(&who(&silent)), "{got:?}");
}

/// Reads one reply, or `None` if nothing comes within `wait`.
fn reply_within(s: &mut TcpStream, enc: TextEncoding, wait: Duration) -> Option<String> {
    let want = enc.encode(DEFAULT_REPLY).len();
    let mut buf = vec![0u8; want];
    s.set_read_timeout(Some(wait)).unwrap();
    match s.read_exact(&mut buf) {
        Ok(()) => Some(enc.decode_strict(&buf).unwrap()),
        Err(_) => None,
    }
}

/// `--max-connections 3` with six clients: three are served, three wait in
/// the backlog; each client that leaves lets exactly one more in, whichever
/// loop it was waiting for.
fn max_connections_lets_one_in_per_leaver(engine: Engine) {
    let enc = TextEncoding::Utf8;
    let mut cfg = config(enc, engine);
    cfg.max_connections = 3;
    let (server, _lines) = start(cfg);
    let addr = server.local_addr();
    let mut clients: Vec<Option<TcpStream>> = (0..6)
        .map(|_| Some(TcpStream::connect(addr).unwrap()))
        .collect();
    for (i, c) in clients.iter_mut().enumerate() {
        let c = c.as_mut().unwrap();
        c.write_all(&enc.encode(&format!("hello {i}"))).unwrap();
    }
    // Collect replies until three clients are served (or 5 s pass) ...
    let mut served: Vec<usize> = Vec::new();
    let t0 = Instant::now();
    while served.len() < 3 && t0.elapsed() < Duration::from_secs(5) {
        for (i, c) in clients.iter_mut().enumerate() {
            if !served.contains(&i)
                && reply_within(c.as_mut().unwrap(), enc, Duration::from_millis(50)).is_some()
            {
                served.push(i);
            }
        }
    }
    assert_eq!(served.len(), 3, "served: {served:?}");
    // ... and no fourth.
    for (i, c) in clients.iter_mut().enumerate() {
        if !served.contains(&i) {
            let got = reply_within(c.as_mut().unwrap(), enc, Duration::from_millis(300));
            assert!(got.is_none(), "client {i} was served past the limit");
        }
    }
    assert_eq!(server.active_connections(), 3);
    let mut waiting: Vec<usize> = (0..6).filter(|i| !served.contains(i)).collect();
    for leaver in served {
        clients[leaver] = None; // the client leaves
        let t0 = Instant::now();
        let mut newly = None;
        while newly.is_none() && t0.elapsed() < Duration::from_secs(5) {
            for &w in &waiting {
                let c = clients[w].as_mut().unwrap();
                if reply_within(c, enc, Duration::from_millis(50)).is_some() {
                    newly = Some(w);
                    break;
                }
            }
        }
        let w = newly.expect("a waiting client is served once one leaves");
        waiting.retain(|&x| x != w);
        // Nobody else got in.
        for &x in &waiting {
            let c = clients[x].as_mut().unwrap();
            assert!(reply_within(c, enc, Duration::from_millis(100)).is_none());
        }
        assert!(server.active_connections() <= 3);
    }
    assert!(waiting.is_empty());
    server.shutdown();
}

/// A client that sends and sends and never reads its replies cannot make
/// the server buffer without bound: once its replies back up, the server
/// stops reading it, and its `send` blocks (flow control).
fn a_client_that_never_reads_cannot_grow_the_server(engine: Engine) {
    // A 16 KiB reply to each 1 KiB message: sixteen times what comes in.
    let reply = "x".repeat(16 * 1024);
    let mut args = vec![
        "--mode".to_string(),
        "echo".into(),
        "--quiet".into(),
        "--encoding".into(),
        "utf-8".into(),
        "--reply".into(),
        reply.clone(),
    ];
    args.extend(common::engine_args(engine));
    let server = common::ServerProcess::start(&args);
    let hwm_start = server.status("VmHWM");

    let mut flood = TcpStream::connect(server.addr).unwrap();
    flood.set_nonblocking(true).unwrap();
    let chunk = vec![b'm'; 1024];
    let (sent, took, blocked) = common::flood_until_blocked(&mut flood, &server, &chunk, 512 << 20);
    assert!(
        blocked,
        "the server kept reading a client that never reads: {} MiB sent in {:?}",
        sent >> 20,
        took
    );
    // What was sent sits in the kernel's buffers, not in the server.
    let grown = server.status("VmHWM").saturating_sub(hwm_start);
    assert!(
        grown < 48 * 1024,
        "the server grew by {grown} kB after {} MiB from a client that never reads",
        sent >> 20
    );
    // Everyone else is still served.
    let out = sockscope()
        .args([
            "client",
            "--port",
            &server.addr.port().to_string(),
            "--encoding",
            "utf-8",
            "hi",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("xxxx"));
    drop(flood);
}

/// The event loop's claim: 500 clients connected at once, every one served,
/// by a handful of threads.
fn five_hundred_clients_at_once(engine: Engine) {
    let n = 500;
    let mut args = vec![
        "--mode".to_string(),
        "echo".into(),
        "--encoding".into(),
        "utf-8".into(),
        "--max-connections".into(),
        "1000".into(),
    ];
    args.extend(common::engine_args(engine));
    let mut server = common::ServerProcess::start_with_stdout(&args, std::process::Stdio::piped());
    let console = common::lines_of(server.take_stdout());
    let enc = TextEncoding::Utf8;
    let mut clients: Vec<TcpStream> = (0..n)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    for round in 0..3 {
        for (i, c) in clients.iter_mut().enumerate() {
            c.write_all(&enc.encode(&format!("c{i} r{round}"))).unwrap();
        }
        for c in clients.iter_mut() {
            assert_eq!(
                reply_within(c, enc, Duration::from_secs(10)).as_deref(),
                Some(echo::default_reply(sockscope::text::Lang::En))
            );
        }
    }
    let threads = server.status("Threads");
    if matches!(engine, Engine::EventLoop(_)) {
        assert!(threads < 10, "{threads} threads for {n} clients");
    }
    clients.clear();
    // connected + 3 messages + offline for each, in each client's order.
    let mut per_client = std::collections::HashMap::<String, Vec<String>>::new();
    let t0 = Instant::now();
    let mut count = 0;
    while count < n * 5 && t0.elapsed() < Duration::from_secs(20) {
        if let Ok(l) = console.recv_timeout(Duration::from_secs(1)) {
            let at = l.rfind("('").expect("a line ends with an address");
            per_client
                .entry(l[at..].to_string())
                .or_default()
                .push(l[..at].to_string());
            count += 1;
        }
    }
    assert_eq!(per_client.len(), n);
    for lines in per_client.values() {
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert_eq!(lines[0], echo::connected_line(""));
        assert!(
            lines[1].starts_with('c') && lines[3].ends_with(" r2 "),
            "{lines:?}"
        );
        assert_eq!(lines[4], echo::offline_line(""));
    }
}

for_each_engine!(
    console_lines_for_a_sequence_of_client_actions,
    a_python_socket_client_talks_gbk_and_utf8,
    many_clients_at_once,
    past_the_limit_clients_wait_in_the_backlog,
    a_silent_client_is_cut_off_by_the_idle_timeout,
    a_client_that_resets_does_not_take_the_server_down,
    the_library_client_prints_each_reply,
    cli_errors_name_what_was_wrong,
    the_cli_client_talks_to_the_server,
    the_real_console_matches_the_simulated_one,
    activity_keeps_a_client_past_the_idle_timeout,
    max_connections_lets_one_in_per_leaver,
    a_client_that_never_reads_cannot_grow_the_server,
);

mod event_loop_only {
    use super::*;

    #[test]
    fn five_hundred_clients_at_once() {
        super::five_hundred_clients_at_once(common::EVENT_LOOP);
    }

    #[test]
    fn five_hundred_clients_at_once_handoff() {
        super::five_hundred_clients_at_once(common::EVENT_LOOP_HANDOFF);
    }
}
