//! The lessons' Python programs against real CPython:
//!
//! - every program, in both languages, is valid Python to `python3`;
//! - the lessons' echo client, run by real CPython against the native echo
//!   server and by the interpreter against the simulated one, prints the
//!   same lines, in both languages.
#![cfg(feature = "native")]

use std::net::SocketAddr;
use std::process::Command;

use sockscope::echo::{default_reply, TextEncoding};
use sockscope::native::{start_echo, Console, EchoConfig};
use sockscope::sim::lessons::code::{ClientKind, EchoClient, EchoServer, WebServer, ALL};
use sockscope::sim::{HostId, Lang, LessonId, Run, Setup};

fn python3() -> Command {
    Command::new("python3")
}

#[test]
fn every_lesson_program_is_valid_python_in_both_languages() {
    let dir = std::env::temp_dir().join(format!("sockscope-progs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let mut programs = vec![
            EchoServer::default().script(lang),
            EchoServer {
                sleep: Some(sockscope::sim::Duration::from_millis(500)),
                serve: Some(2),
                daemon: false,
                ..EchoServer::default()
            }
            .script(lang),
            WebServer {
                port: 80,
                backlog: 128,
                recv: 1024,
                files: vec!["index.html".into()],
            }
            .script(lang),
        ];
        for kind in [
            ClientKind::Scripted,
            ClientKind::Burst,
            ClientKind::Interactive,
        ] {
            programs.push(EchoClient::new(kind).script(lang));
        }
        assert!(programs.len() > ALL.len(), "every template is rendered");
        for (n, p) in programs.iter().enumerate() {
            let path = dir.join(format!("{lang:?}-{n}-{}", p.file));
            std::fs::write(&path, &p.source).unwrap();
            let out = python3()
                .args([
                    "-c",
                    "import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())",
                ])
                .arg(&path)
                .output()
                .expect("python3 runs (the test command installs it)");
            assert!(
                out.status.success(),
                "{lang:?} {}: {}\n{}",
                p.file,
                String::from_utf8_lossy(&out.stderr),
                p.source
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_client_prints_the_same_under_cpython_and_in_the_simulation() {
    let messages = ["你好", "how are you?"];
    for lang in [Lang::En, Lang::Zh] {
        // The simulation: the echo lesson's client, run by the interpreter.
        let mut run = Run::start(Setup::new(LessonId::Echo, 7).in_lang(lang));
        run.play(100_000);
        let simulated: Vec<String> = run
            .console(HostId(1))
            .iter()
            .map(|l| l.to_string())
            .collect();

        // Real CPython running the same client.py against the native server.
        let (console, _lines) = Console::channel();
        let server = start_echo(
            EchoConfig {
                bind: SocketAddr::from(([127, 0, 0, 1], 0)),
                encoding: TextEncoding::Gbk,
                reply: default_reply(lang).into(),
                lang,
                ..EchoConfig::default()
            },
            console,
        )
        .expect("the echo server starts");
        let client = EchoClient {
            server_ip: "127.0.0.1".into(),
            port: server.local_addr().port(),
            ..EchoClient::new(ClientKind::Scripted)
        }
        .script(lang);
        let dir = std::env::temp_dir().join(format!("sockscope-client-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(&client.file);
        std::fs::write(&path, &client.source).unwrap();
        let out = python3()
            .arg(&path)
            .args(messages)
            .env("PYTHONIOENCODING", "utf-8")
            .output()
            .expect("python3 runs");
        server.shutdown();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let real: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(real, simulated, "{lang:?}");
        assert_eq!(real, vec![default_reply(lang); 2]);
    }
}
