//! Differential tests of the Python interpreter against CPython.
//!
//! Every `tests/py/*.py` runs under the real `python3` (3.11) and under
//! `sockscope::sim::python` with its test host ([`TestOs`]); stdout and
//! stderr must be equal, byte for byte. CPython is the truth: a difference
//! is a bug in the interpreter.
//!
//! - `NAME.stdin`, if present, is the program's standard input.
//! - Other files in `tests/py/` (not `.py`, `.stdin`) are readable with `open()`.
//! - Programs run with `tests/py` as the working directory, as `python3 NAME.py`;
//!   CPython's tracebacks name the script by its absolute path, so the
//!   interpreter is given that path as the file name.
//! - The only normalization: frames of the standard library's `threading.py`
//!   are shown with the path and line numbers of whichever Python is installed;
//!   both sides' are replaced by `<stdlib>/threading.py", line N`.
//!
//! `PY_DIFF_ONLY=name` runs one program. Without `python3` on the machine the
//! test prints why and passes (`scripts/tools.sh` installs it).

use sockscope::sim::python::test_os::{RunEnd, TestOs};
use sockscope::sim::python::Interp;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn py_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py")
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
                    let after = &rest[q..];
                    // after: `", line N, in name`
                    let name = after.split(", in ").nth(1).unwrap_or("\n");
                    out.push_str(&format!("  File \"<stdlib>/{file}\", line N, in {name}"));
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    out
}

struct Outcome {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run_cpython(dir: &Path, name: &str, stdin: Option<&[u8]>) -> Option<Outcome> {
    let mut cmd = Command::new("python3");
    cmd.arg(name)
        .current_dir(dir)
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONHASHSEED", "0")
        .env_remove("PYTHONWARNINGS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().ok()?;
    if let Some(mut si) = child.stdin.take() {
        use std::io::Write;
        let _ = si.write_all(stdin.unwrap_or(b""));
    }
    let out = child.wait_with_output().ok()?;
    Some(Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    })
}

fn run_ours(dir: &Path, name: &str, source: &str, stdin: Option<&[u8]>) -> (Outcome, RunEnd) {
    // CPython shows the main script's absolute path in tracebacks; sys.argv[0] as typed
    let path = dir.join(name);
    let mut py = Interp::with_argv(&path.to_string_lossy(), source, &[name]);
    let mut os = TestOs::new();
    if let Some(s) = stdin {
        for l in String::from_utf8_lossy(s).lines() {
            os.stdin.push_back(l.to_string());
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if ext != "py" && ext != "stdin" {
                if let (Some(n), Ok(data)) = (p.file_name(), std::fs::read(&p)) {
                    os.files.push((n.to_string_lossy().into_owned(), data));
                }
            }
        }
    }
    let end = os.run(&mut py, 20_000_000);
    let code = os.exit.or(py.exit_code()).unwrap_or(0);
    (
        Outcome {
            stdout: os.stdout,
            stderr: os.stderr,
            code,
        },
        end,
    )
}

fn diff(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out = String::new();
    let n = la.len().max(lb.len());
    let mut shown = 0;
    for i in 0..n {
        let (x, y) = (la.get(i), lb.get(i));
        if x != y {
            out.push_str(&format!(
                "  line {}:\n    cpython: {}\n    ours:    {}\n",
                i + 1,
                x.map(|s| format!("{s:?}"))
                    .unwrap_or_else(|| "<none>".into()),
                y.map(|s| format!("{s:?}"))
                    .unwrap_or_else(|| "<none>".into()),
            ));
            shown += 1;
            if shown >= 8 {
                out.push_str("  …\n");
                break;
            }
        }
    }
    if out.is_empty() && a != b {
        out.push_str(&format!(
            "  (trailing difference) cpython {a:?}\n  ours {b:?}\n"
        ));
    }
    out
}

#[test]
fn python_programs_match_cpython() {
    let dir = py_dir();
    if Command::new("python3").arg("--version").output().is_err() {
        println!("py_diff: python3 is not installed; skipped (scripts/tools.sh installs it)");
        return;
    }
    let only = std::env::var("PY_DIFF_ONLY").ok().filter(|s| !s.is_empty());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/py")
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.ends_with(".py").then_some(n)
        })
        .filter(|n| {
            only.as_ref()
                .is_none_or(|o| n.trim_end_matches(".py") == o.trim_end_matches(".py"))
        })
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for name in &names {
        let source = std::fs::read_to_string(dir.join(name)).expect("source");
        let stdin_path = dir.join(format!("{}.stdin", name.trim_end_matches(".py")));
        let stdin = std::fs::read(&stdin_path).ok();
        let Some(want) = run_cpython(&dir, name, stdin.as_deref()) else {
            println!("py_diff: could not run python3; skipped");
            return;
        };
        let (got, end) = run_ours(&dir, name, &source, stdin.as_deref());
        let mut report = String::new();
        if want.stdout != got.stdout {
            report.push_str(&format!(
                " stdout differs:\n{}",
                diff(&want.stdout, &got.stdout)
            ));
        }
        let (ws, gs) = (normalize(&want.stderr), normalize(&got.stderr));
        if ws != gs {
            report.push_str(&format!(" stderr differs:\n{}", diff(&ws, &gs)));
        }
        if want.code != got.code {
            report.push_str(&format!(
                " exit code: cpython {} ours {}\n",
                want.code, got.code
            ));
        }
        if end != RunEnd::Finished {
            report.push_str(&format!(" run ended: {end:?}\n"));
        }
        if report.is_empty() {
            println!("ok   {name}");
        } else {
            println!("FAIL {name}\n{report}");
            failures.push(name.clone());
        }
    }
    println!(
        "py_diff: {}/{} programs match CPython",
        names.len() - failures.len(),
        names.len()
    );
    assert!(
        failures.is_empty(),
        "programs that differ from CPython: {failures:?}"
    );
    assert!(
        only.is_some() || names.len() >= 60,
        "expected at least 60 programs, found {}",
        names.len()
    );
}
