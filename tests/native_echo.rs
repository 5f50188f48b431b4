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
    use sockscope::sim::{HostId, LessonId};

    for lesson in [LessonId::Echo, LessonId::MultiClient] {
        let seed = lesson.info().default_seed;
        let world = lesson.config(seed);
        let run = headless::play(lesson, seed);
        let sim_lines: Vec<String> = run
            .console(HostId::SERVER)
            .into_iter()
            .filter(|l| l.ends_with(')') && l.contains("('"))
            .map(str::to_string)
            .collect();
        assert!(!sim_lines.is_empty(), "{lesson:?} printed no client lines");
        // The messages the simulated clients sent are the lesson's own.
        let sent: Vec<String> = world
            .clients
            .iter()
            .flat_map(|c| c.messages.clone())
            .collect();
        let sim_norm = normalize(&sim_lines);

        // Replay the same client actions, in the order the simulated server
        // saw them, against the real server with the lesson's reply and encoding.
        let cfg = EchoConfig {
            reply: world.reply.clone(),
            ..config(world.encoding, engine)
        };
        let (server, lines) = start(cfg);
        let mut clients: Vec<Option<TcpStream>> = Vec::new();
        let mut real_lines = Vec::new();
        for line in &sim_norm {
            let n: usize = line.rsplit("client#").next().unwrap().parse().unwrap();
            let prefix = &line[..line.rfind("client#").unwrap()];
            if prefix == echo::connected_line("") {
                assert_eq!(clients.len(), n);
                clients.push(Some(TcpStream::connect(server.local_addr()).unwrap()));
            } else if prefix == echo::offline_line("") {
                clients[n] = None;
            } else {
                let text = prefix.strip_suffix(' ').unwrap();
                assert!(
                    sent.iter().any(|m| m == text),
                    "{text:?} is not a lesson message"
                );
                let s = clients[n].as_mut().unwrap();
                assert_eq!(
                    round_trip(s, text, world.encoding, &world.reply),
                    world.reply
                );
            }
            real_lines.push(next_line(&lines));
        }
        assert_eq!(normalize(&real_lines), sim_norm, "{lesson:?}");
        server.shutdown();
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
);
