//! Processes on a simulated host: `os.fork()` and `multiprocessing.Process`.
//!
//! - Every `tests/py_procs/*.py` runs under the real `python3` (3.11, where
//!   multiprocessing starts a process by forking, Linux's default before
//!   3.14) and as the server program of a world with no clients; the
//!   server's terminal (stdout, stderr) and the exit status must be
//!   CPython's. The programs print with `flush=True` and order their
//!   processes with `join()`/`waitpid()`, so CPython's output is
//!   deterministic. The only normalization is `tests/py_diff.rs`'s: paths
//!   and line numbers of the standard library's frames.
//! - A socket two processes hold closes (FIN) only when both have given
//!   their fds back, by `close()` or by exiting: Linux counts the fds
//!   naming an open file (a property test over who lets go first, when).
//! - The `processes` lesson: with the parent's `conn.close()` every client
//!   sees FIN; without it the last client waits in `recv()` for ever, its
//!   server end in CLOSE-WAIT held by the parent (checked against CPython
//!   by hand: the same client hangs under real fork).

use sockscope::sim::event::Call;
use sockscope::sim::lessons::code::Script;
use sockscope::sim::world::{ServerSpec, WorldConfig};
use sockscope::sim::{EventKind, HostId, World};
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py_procs")
}

/// Replaces the install-specific path and line of stdlib frames.
fn normalize(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("File \"") {
            if let Some(q) = rest.find('"') {
                let path = &rest[..q];
                if path.starts_with('/') && path.contains("/python3") {
                    let file = path.rsplit('/').next().unwrap_or(path);
                    let name = rest[q..].split(", in ").nth(1).unwrap_or("\n");
                    out.push_str(&format!("  File \"<stdlib>/{file}\", line N, in {name}"));
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    out
}

/// Runs `path` as the server program of a world without clients: its
/// stdout, stderr and its first process's exit status.
fn run_sim(path: &Path) -> (String, String, i32) {
    let source = std::fs::read_to_string(path).unwrap();
    let script = Script {
        file: path.to_string_lossy().into_owned(),
        source,
    };
    let mut w = World::new(WorldConfig {
        server: ServerSpec::new(script),
        clients: vec![],
        ..WorldConfig::default()
    });
    let (mut out, mut err) = (String::new(), String::new());
    let mut steps = 0;
    loop {
        let more = w.step();
        for e in w.poll_events() {
            if let EventKind::Console { line, stderr } = &e.kind {
                let s = if *stderr { &mut err } else { &mut out };
                s.push_str(line);
                s.push('\n');
            }
        }
        steps += 1;
        assert!(steps < 100_000, "{} does not end", path.display());
        if !more {
            break;
        }
    }
    let code = w.exit_code(HostId::SERVER).unwrap_or(-1);
    (out, err, code)
}

#[test]
fn fork_and_multiprocessing_programs_match_cpython() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let mut failures = Vec::new();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(real) = Command::new("python3")
            .arg(&name)
            .current_dir(dir())
            .env("PYTHONIOENCODING", "utf-8")
            .output()
        else {
            eprintln!("no python3: skipped");
            return;
        };
        let want = (
            String::from_utf8_lossy(&real.stdout).into_owned(),
            normalize(&String::from_utf8_lossy(&real.stderr)),
            real.status.code().unwrap_or(-1),
        );
        let (out, err, code) = run_sim(&path);
        let got = (out, normalize(&err), code);
        if got != want {
            failures.push(format!(
                "{name}:\n--- CPython\n{}\n{}\nexit {}\n--- sim\n{}\n{}\nexit {}",
                want.0, want.1, want.2, got.0, got.1, got.2
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The `processes` lesson as given, or with the parent's `conn.close()`
/// (its last line) deleted, as the intro invites the learner to do.
fn processes_run(lang: sockscope::sim::Lang, parent_closes: bool) -> sockscope::sim::Run {
    use sockscope::sim::{LessonId, Run, Setup};
    let mut setup = Setup::new(LessonId::Processes, 5).in_lang(lang);
    if !parent_closes {
        let mut script = setup.config().server.script;
        let lines: Vec<&str> = script.source.trim_end().lines().collect();
        assert!(lines
            .last()
            .unwrap()
            .trim_start()
            .starts_with("conn.close()"));
        script.source = lines[..lines.len() - 1].join("\n") + "\n";
        setup.server = Some(script);
    }
    let mut run = Run::start(setup);
    run.play(50_000);
    assert!(run.is_finished());
    run
}

/// Whether a client's kernel received a FIN from the server.
fn got_fin(run: &sockscope::sim::Run, client: HostId) -> bool {
    run.log().iter().any(|e| {
        e.host == Some(client)
            && matches!(&e.kind, EventKind::SegmentDelivered { segment } if segment.flags.fin)
    })
}

#[test]
fn the_parent_closing_its_copy_lets_every_client_see_fin() {
    for lang in [sockscope::sim::Lang::En, sockscope::sim::Lang::Zh] {
        let run = processes_run(lang, true);
        for c in [HostId(1), HostId(2)] {
            assert!(got_fin(&run, c), "{lang:?}: {c:?} got the server's FIN");
            assert_eq!(run.world().exit_code(c), Some(0), "{c:?} ended normally");
        }
        // One parent and one child per client, each with its own PID.
        let server = &run.world().hosts()[0];
        let pids: Vec<(u32, u32)> = server.processes.iter().map(|p| (p.pid, p.ppid)).collect();
        assert_eq!(pids, vec![(1000, 1), (1001, 1000), (1002, 1000)]);
        assert!(server.processes[1..]
            .iter()
            .all(|p| !p.alive && p.exit_code == Some(0)));
        // The parent's close() dropped only its fd while the child held one.
        let shared_closes = run
            .log()
            .iter()
            .filter(|e| {
                matches!(&e.kind, EventKind::Call { call: Call::Close { held_by, .. } } if !held_by.is_empty())
            })
            .count();
        assert_eq!(shared_closes, 2);
    }
}

#[test]
fn without_the_parents_close_the_last_client_waits_for_ever() {
    use sockscope::sim::event::BlockReason;
    use sockscope::sim::os::thread::ThreadState;
    let run = processes_run(sockscope::sim::Lang::En, false);
    // client-1's connection lost its parent's fd when the next accept()
    // rebound `conn` (CPython frees the old socket object there too), so
    // its child's close() was the last one: FIN.
    assert!(got_fin(&run, HostId(1)));
    // client-2's never loses it: its child closed its fd and exited, the
    // parent holds the connection, no FIN ever comes.
    assert!(!got_fin(&run, HostId(2)));
    let threads = run.world().threads();
    let c2 = threads
        .iter()
        .find(|t| t.host == HostId(2) && t.main)
        .unwrap();
    assert!(
        matches!(
            &c2.state,
            ThreadState::Blocked {
                reason: BlockReason::RecvBufferEmpty,
                ..
            }
        ),
        "client-2 waits in recv(): {:?}",
        c2.state
    );
    // The child's close() said so: the parent, 1000, still holds it.
    let threads_of = |pid: u32| -> Vec<_> {
        threads
            .iter()
            .filter(|t| t.pid == pid)
            .map(|t| t.id)
            .collect()
    };
    let child = threads_of(1002);
    assert!(run.log().iter().any(|e| e.thread.is_some_and(|t| child.contains(&t))
        && matches!(&e.kind, EventKind::Call { call: Call::Close { held_by, .. } } if held_by == &[1000])));
    // The server's end of it waits in CLOSE-WAIT, held by the parent's fd 5
    // (accept() gave it 5 while the old `conn` still held 4, as in CPython).
    let socks = run.world().sockets(HostId::SERVER);
    let held: Vec<_> = socks.iter().filter(|s| s.held_by == [(1000, 5)]).collect();
    assert_eq!(held.len(), 1);
    assert!(matches!(&held[0].detail,
        sockscope::sim::view::SocketDetail::Stream(v) if v.state == sockscope::sim::State::CloseWait));
}

/// A connection the server forks with: the child closes its copy after
/// `child_ms`, the parent after `parent_ms` (or `None`: the child never
/// closes, and exits holding it). Returns the run.
fn shared_close_run(child_ms: Option<u32>, parent_ms: u32) -> sockscope::sim::Run {
    let child = match child_ms {
        Some(ms) => format!("    time.sleep({ms} / 1000)\n    conn.close()\n"),
        None => "    time.sleep(0.01)\n".to_string(),
    };
    let server = format!(
        "import os, socket, time\n\
         s = socket.socket()\n\
         s.bind(('', 8080))\n\
         s.listen(1)\n\
         conn, addr = s.accept()\n\
         pid = os.fork()\n\
         if pid == 0:\n\
         {child}\
         \x20   os._exit(0)\n\
         time.sleep({parent_ms} / 1000)\n\
         conn.close()\n\
         os.waitpid(pid, 0)\n\
         time.sleep(1)\n"
    );
    let client = "import socket\n\
                  c = socket.socket()\n\
                  c.connect(('10.0.0.1', 8080))\n\
                  print(c.recv(10))\n"
        .to_string();
    let mut setup = sockscope::sim::Setup::new(sockscope::sim::LessonId::Sandbox, 1);
    setup.server = Some(Script {
        file: "server.py".into(),
        source: server,
    });
    setup.clients = vec![Script {
        file: "client.py".into(),
        source: client,
    }];
    let mut run = sockscope::sim::Run::start(setup);
    run.play(50_000);
    assert!(run.is_finished());
    run
}

/// Where in the log the server's kernel first sent a FIN.
fn first_fin(run: &sockscope::sim::Run) -> usize {
    run.log()
        .iter()
        .position(|e| {
            e.host == Some(HostId::SERVER)
                && matches!(&e.kind, EventKind::SegmentSent { segment, .. } if segment.flags.fin)
        })
        .expect("a FIN")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// A socket shared by two processes sends FIN only after both have
    /// given their fds back, by close() or by exiting, in either order and
    /// at any moment; the client then reads b''.
    #[test]
    fn a_shared_socket_sends_fin_only_after_both_processes_close(
        child_ms in proptest::option::of(0u32..60),
        parent_ms in 0u32..60,
    ) {
        let run = shared_close_run(child_ms, parent_ms);
        let log = run.log();
        // The moments each process gave its fd 4 back: its close() return,
        // or the child's exit.
        let released: Vec<usize> = log
            .iter()
            .enumerate()
            .filter(|(_, e)| e.host == Some(HostId::SERVER) && match &e.kind {
                EventKind::Return { call: Call::Close { .. }, .. } => true,
                EventKind::ChildExited { .. } => child_ms.is_none(),
                _ => false,
            })
            .map(|(i, _)| i)
            .collect();
        proptest::prop_assert_eq!(released.len(), 2);
        proptest::prop_assert!(first_fin(&run) > released[1]);
        proptest::prop_assert_eq!(run.console(HostId(1)), vec!["b''"]);
        // The first to let go was told the other still holds it.
        let told = log.iter().any(|e| match &e.kind {
            EventKind::Call { call: Call::Close { held_by, .. } } => !held_by.is_empty(),
            EventKind::ChildExited { kept, .. } => kept.iter().any(|k| !k.listening),
            _ => false,
        });
        proptest::prop_assert!(told);
    }
}
