//! What the native server tests share: the engines every behaviour check
//! runs on, and a server run as a child process of the real binary (for
//! Ctrl-C, memory, and many connections without sharing the test's file
//! descriptors).
#![allow(dead_code)]

use std::io::Write;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use sockscope::native::{AcceptMode, Engine, LoopOptions};

/// The event-loop engine as the tests run it: two loops (even on a one-core
/// machine), each with its own `SO_REUSEPORT` listener.
pub const EVENT_LOOP: Engine = Engine::EventLoop(LoopOptions {
    loops: 2,
    accept: AcceptMode::ReusePort,
});

/// The event-loop engine with one accepting loop handing connections to three.
pub const EVENT_LOOP_HANDOFF: Engine = Engine::EventLoop(LoopOptions {
    loops: 3,
    accept: AcceptMode::Handoff,
});

/// Generates, for each named `fn name(engine: Engine)`, one `#[test]` per
/// engine: `threads::name`, `event_loop::name`, `event_loop_handoff::name`.
#[macro_export]
macro_rules! for_each_engine {
    ($($name:ident),* $(,)?) => {
        mod threads {
            $(#[test] fn $name() { super::$name(sockscope::native::Engine::Threads) })*
        }
        mod event_loop {
            $(#[test] fn $name() { super::$name(super::common::EVENT_LOOP) })*
        }
        mod event_loop_handoff {
            $(#[test] fn $name() { super::$name(super::common::EVENT_LOOP_HANDOFF) })*
        }
    };
}

/// The command-line options that select `engine`.
pub fn engine_args(engine: Engine) -> Vec<String> {
    let mut args = vec!["--engine".to_string(), engine.name().to_string()];
    if let Engine::EventLoop(o) = engine {
        if o.loops > 0 {
            args.extend(["--loops".to_string(), o.loops.to_string()]);
        }
        if o.accept == AcceptMode::Handoff {
            args.extend(["--accept".to_string(), "handoff".to_string()]);
        }
    }
    args
}

pub fn sockscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
}

/// `sockscope serve …` running as a child process; killed when dropped.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
    /// The rest of its standard error, line by line.
    pub stderr: Receiver<String>,
}

impl ServerProcess {
    /// Starts `sockscope serve ARGS --port 0` and waits for the line that
    /// says where it listens.
    pub fn start(args: &[String]) -> ServerProcess {
        Self::start_with_stdout(args, Stdio::null())
    }

    pub fn start_with_stdout(args: &[String], stdout: Stdio) -> ServerProcess {
        let mut child = sockscope()
            .arg("serve")
            .args(args)
            .args(["--port", "0"])
            .stdout(stdout)
            .stderr(Stdio::piped())
            .spawn()
            .expect("sockscope runs");
        let (tx, stderr) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = stderr
            .recv_timeout(Duration::from_secs(10))
            .expect("the server says where it listens");
        // "sockscope: echo server on 127.0.0.1:PORT (…" or "… on http://127.0.0.1:PORT/ …"
        let at = first.split(" on ").nth(1).expect(&first);
        let at = at.trim_start_matches("http://");
        let end = at.find(['/', ' ']).unwrap_or(at.len());
        let addr: SocketAddr = at[..end].parse().expect(&first);
        ServerProcess {
            child,
            addr,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A field of `/proc/PID/status` in kB (VmHWM, VmRSS), or the count
    /// (Threads).
    pub fn status(&self, field: &str) -> u64 {
        let text = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc/PID/status"))
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits for the process to end.
    pub fn interrupt(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let ok = Command::new("kill")
            .args(["-INT", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(ok.success());
        let t0 = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "the server did not stop within 10 s of SIGINT"
            );
            thread::sleep(Duration::from_millis(20));
        };
        let mut lines = Vec::new();
        while let Ok(l) = self.stderr.recv_timeout(Duration::from_millis(500)) {
            lines.push(l);
        }
        (status, lines)
    }

    pub fn take_stdout(&mut self) -> ChildStdout {
        self.child.stdout.take().expect("stdout was piped")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads lines from a child's stdout on a thread.
pub fn lines_of(out: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Writes `data` over and over to `stream` (non-blocking), whose reader on
/// `server` is meant to stop reading, until writes have blocked for a
/// second (the kernel's buffers are full: back-pressure works), or `limit`
/// bytes are sent, or 30 s pass. Stops early if the server's RSS passes
/// 512 MiB, so that broken back-pressure cannot eat the machine. Returns the
/// bytes sent, the time taken, and whether the writes ended blocked.
pub fn flood_until_blocked(
    stream: &mut TcpStream,
    server: &ServerProcess,
    data: &[u8],
    limit: usize,
) -> (usize, Duration, bool) {
    let (mut sent, t0) = (0usize, Instant::now());
    let mut blocked_since: Option<Instant> = None;
    while t0.elapsed() < Duration::from_secs(30) && sent < limit {
        let at = sent % data.len();
        match stream.write(&data[at..]) {
            Ok(n) => {
                sent += n;
                blocked_since = None;
                if sent % (1 << 20) < n && server.status("VmRSS") > 512 * 1024 {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                let since = *blocked_since.get_or_insert_with(Instant::now);
                if since.elapsed() > Duration::from_secs(1) {
                    break;
                }
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("the flood's send failed: {e}"),
        }
    }
    (sent, t0.elapsed(), blocked_since.is_some())
}
