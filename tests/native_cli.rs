//! The `sockscope sim` subcommand: lessons listed, a lesson run headless in
//! text and JSON, its pcap written, a bad lesson named in the error.
#![cfg(feature = "native")]

use std::process::Command;

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
         s.connect(('10.0.0.1', 8080))\n\
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
