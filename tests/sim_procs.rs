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
//! - A socket two processes hold closes (FIN) only when both have closed
//!   their fds: Linux counts the fds naming an open file.

use sockscope::sim::event::{Call, Ret};
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
