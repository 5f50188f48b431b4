//! The command line: `sockscope sim` (lessons listed, a lesson run headless
//! in text and JSON, its pcap written, a bad lesson named in the error);
//! `sockscope serve` stopped by Ctrl-C (SIGINT) on both engines; `--engine`
//! options; `sockscope bench` against both engines.
#![cfg(feature = "native")]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use sockscope::native::Engine;

fn sockscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn sim_lists_runs_and_writes_pcaps() {
    let out = sockscope(&["sim", "--list"]);
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    for slug in ["echo", "multi-client", "buffers", "byte-stream", "sandbox"] {
        assert!(
            list.lines().any(|l| l.starts_with(slug)),
            "{slug} missing from {list}"
        );
    }

    let out = sockscope(&["sim", "--lesson", "echo", "--lang", "zh"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("## console: server") && text.contains("客户端已连接 ("),
        "the zh program prints Chinese: {text}"
    );

    let out = sockscope(&[
        "sim",
        "--lesson",
        "multi-client",
        "--format",
        "json",
        "--seed",
        "3",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lesson"], "multi-client");
    assert_eq!(v["seed"], 3);
    assert!(v["console"]["server"].as_array().unwrap().len() >= 9);

    let pcap = std::env::temp_dir().join(format!("sockscope-cli-{}.pcap", std::process::id()));
    let out = sockscope(&["sim", "--lesson", "echo", "--pcap", pcap.to_str().unwrap()]);
    assert!(out.status.success());
    let bytes = std::fs::read(&pcap).unwrap();
    assert_eq!(
        &bytes[..4],
        &[0xd4, 0xc3, 0xb2, 0xa1],
        "little-endian pcap magic"
    );
    assert!(
        bytes.len() > 24 + 16 * 6,
        "a handshake, data and a close at least"
    );
    let _ = std::fs::remove_file(&pcap);

    let out = sockscope(&["sim", "--lesson", "nope"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown lesson \"nope\"") && err.contains("multi-client"),
        "{err}"
    );
    assert!(
        !sockscope(&["sim"]).status.success(),
        "--lesson or --list is required"
    );
    assert!(sockscope(&["sim", "--help"]).status.success());
}

/// `sim --server/--client FILE.py`: the learner's own programs run in place
/// of the lesson's; a Python error is printed on that host's console as
/// CPython prints it and the run still exits 0; an unreadable file is an
/// error naming it.
#[test]
fn sim_runs_the_learners_own_programs() {
    let dir = std::env::temp_dir().join(format!("sockscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = dir.join("hello.py");
    std::fs::write(
        &client,
        "import socket\n\
         s = socket.socket()\n\
         s.connect(('10.0.0.1', 9090))\n\
         s.send('hi from my own client'.encode('gbk'))\n\
         print(s.recv(1024).decode('gbk'))\n\
         s.close()\n\
         print(1 / 0)\n",
    )
    .unwrap();
    let out = sockscope(&[
        "sim",
        "--lesson",
        "echo",
        "--client",
        client.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("hi from my own client ('10.0.0.2', "),
        "{text}"
    );
    for line in [
        "Traceback (most recent call last):",
        "  File \"hello.py\", line 7, in <module>",
        "ZeroDivisionError: division by zero",
    ] {
        assert!(text.contains(line), "{line:?} missing from {text}");
    }

    let missing = dir.join("nope.py");
    let out = sockscope(&[
        "sim",
        "--lesson",
        "echo",
        "--server",
        missing.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nope.py"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Ctrl-C stops the server cleanly: it stops accepting, closes the open
/// connections and exits with status 0.
fn ctrl_c_stops_the_server_cleanly(engine: Engine) {
    let root = std::env::temp_dir().join(format!(
        "sockscope-cli-ctrlc-{}-{}",
        engine.name(),
        std::process::id()
    ));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("index.html"), "hi").unwrap();
    for mode in ["echo", "http"] {
        let mut args = vec!["--mode".to_string(), mode.to_string()];
        if mode == "http" {
            args.extend(["--root".to_string(), root.to_str().unwrap().to_string()]);
        }
        args.extend(common::engine_args(engine));
        let server = common::ServerProcess::start(&args);
        let addr = server.addr;
        // One client mid-conversation, one that never said anything.
        let mut talking = TcpStream::connect(addr).unwrap();
        let _silent = TcpStream::connect(addr).unwrap();
        if mode == "http" {
            talking
                .write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                .unwrap();
        } else {
            talking.write_all(b"hello").unwrap();
        }
        talking
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = [0u8; 256];
        assert!(talking.read(&mut buf).unwrap() > 0, "{mode}: no answer");

        let (status, stderr) = server.interrupt();
        assert!(
            status.success(),
            "{mode} on {}: exit {status:?}, stderr {stderr:?}",
            engine.name()
        );
        assert!(
            stderr.iter().any(|l| l.contains("shutting down")),
            "{stderr:?}"
        );
        // The open connection was closed by the server.
        let mut rest = Vec::new();
        match talking.read_to_end(&mut rest) {
            Ok(_) => assert!(rest.is_empty(), "{rest:?}"),
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        }
        // Nobody listens any more.
        assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// `sockscope bench` measures an echo server on either engine.
fn bench_measures_an_echo_server(engine: Engine) {
    let mut args = vec!["--mode".to_string(), "echo".into(), "--quiet".into()];
    args.extend(common::engine_args(engine));
    let server = common::ServerProcess::start(&args);
    let out = common::sockscope()
        .args([
            "bench",
            "--addr",
            &server.addr.to_string(),
            "--connections",
            "20",
            "--seconds",
            "1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // "N round trips in 1.00 s = R/s (0 errors, 20 connections)"
    let trips: u64 = text.split_whitespace().next().unwrap().parse().unwrap();
    assert!(trips > 100, "{text}");
    assert!(text.contains("(0 errors, 20 connections)"), "{text}");
}

for_each_engine!(
    ctrl_c_stops_the_server_cleanly,
    bench_measures_an_echo_server
);

#[test]
fn engine_options_are_checked() {
    let out = sockscope(&["serve", "--mode", "echo", "--loops", "2", "--port", "0"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--loops is for --engine event-loop"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sockscope(&["serve", "--mode", "echo", "--engine", "fibers"]);
    assert!(!out.status.success());
    let help = sockscope(&["serve", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--engine") && help.contains("event-loop"),
        "{help}"
    );
    let help = sockscope(&["bench", "--help"]);
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("round trips") && help.contains("--connections"),
        "{help}"
    );
    // Nobody listening: a clear error, not a panic.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap().to_string();
    drop(free);
    let out = sockscope(&["bench", "--addr", &addr, "--seconds", "1"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot connect"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `sim --quiz` prints each checkpoint's question before the step it asks
/// about and its answer after the event that decides it; the answer
/// follows the program that ran (an edited server that never replies makes
/// the client's first `recv()` return `b''`). Without `--quiz`, none.
#[test]
fn sim_quiz_prints_questions_then_the_answers_the_run_gives() {
    let text = |out: std::process::Output| {
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = text(sockscope(&["sim", "--lesson", "echo"]));
    assert!(!plain.contains("?? checkpoint") && !plain.contains("=> answer"));

    let quiz = text(sockscope(&["sim", "--lesson", "echo", "--quiz"]));
    let at = |s: &str| {
        quiz.find(s)
            .unwrap_or_else(|| panic!("{s:?} missing from {quiz}"))
    };
    for n in 1..=3 {
        assert!(at(&format!("?? checkpoint {n}/3: ")) < at(&format!("=> answer {n}: ")));
    }
    assert!(at("=> answer 1: a) The client") > at("client-1  The kernel sends 4 bytes"));
    assert!(at("=> answer 2: a) The whole reply") > at("?? checkpoint 2/3"));
    assert!(at("=> answer 3: b) b''") > at("=> answer 2"));

    let zh = text(sockscope(&[
        "sim", "--lesson", "echo", "--quiz", "--lang", "zh",
    ]));
    assert!(
        zh.contains("?? 提问 1/3: ") && zh.contains("=> 答案 2: a) 完整的回复"),
        "{zh}"
    );

    let dir = std::env::temp_dir().join(format!("sockscope-quiz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = dir.join("server.py");
    std::fs::write(
        &server,
        "import socket\n\
         s = socket.socket()\n\
         s.bind(('', 9090))\n\
         s.listen(5)\n\
         conn, addr = s.accept()\n\
         print(conn.recv(1024))\n\
         conn.close()\n",
    )
    .unwrap();
    let out = sockscope(&[
        "sim",
        "--lesson",
        "echo",
        "--quiz",
        "--format",
        "json",
        "--server",
        server.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cps = v["checkpoints"].as_array().unwrap();
    assert_eq!(cps[1]["id"], "first-reply");
    assert_eq!(cps[1]["right"], serde_json::json!([2]), "b'': {}", cps[1]);
    assert_eq!(cps[2]["verdict"]["verdict"], "skipped", "{}", cps[2]);
    std::fs::remove_dir_all(&dir).unwrap();
}
