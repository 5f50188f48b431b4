//! Tests of the interpreter as a host sees it: stepping, blocking calls,
//! threads, snapshots, the collection of sockets.

use super::os::{Os, OsCall, OsReply, OsValue, Stream};
use super::test_os::{RunEnd, TestOs};
use super::{Blocker, Interp, Step};

/// A host whose `Recv` is Blocked twice before it answers.
struct Stubborn {
    calls: Vec<OsCall>,
    out: String,
    blocked: u32,
}

impl Os for Stubborn {
    fn call(&mut self, _t: u32, _line: u32, call: OsCall) -> OsReply {
        self.calls.push(call.clone());
        match call {
            OsCall::Write {
                stream: Stream::Stdout,
                text,
            } => {
                self.out.push_str(&text);
                OsReply::Done(OsValue::None)
            }
            OsCall::Socket { .. } => OsReply::Done(OsValue::Int(7)),
            OsCall::Recv { .. } => {
                if self.blocked < 2 {
                    self.blocked += 1;
                    OsReply::Blocked
                } else {
                    self.blocked = 0;
                    OsReply::Done(OsValue::Bytes(b"abc".to_vec()))
                }
            }
            _ => OsReply::Done(OsValue::None),
        }
    }
}

fn run_all(py: &mut Interp, os: &mut dyn Os) -> Vec<Step> {
    let mut steps = Vec::new();
    for _ in 0..1000 {
        let s = py.step(0, os);
        let done = matches!(s, Step::Exited { .. });
        steps.push(s);
        if done {
            break;
        }
    }
    steps
}

#[test]
fn a_blocked_call_is_made_again_identically_and_the_program_continues() {
    let src = "import socket\n\
               def get(s, n):\n    return s.recv(n)\n\
               s = socket.socket()\n\
               total = [1, 2]\n\
               print('got', total[0] + len(get(s, 10)), get(s, 5) + b'!')\n";
    let mut py = Interp::new("t.py", src);
    let mut os = Stubborn {
        calls: Vec::new(),
        out: String::new(),
        blocked: 0,
    };
    let steps = run_all(&mut py, &mut os);
    assert_eq!(os.out, "got 4 b'abc!'\n");
    let recvs: Vec<&OsCall> = os
        .calls
        .iter()
        .filter(|c| matches!(c, OsCall::Recv { .. }))
        .collect();
    // each recv was tried three times with the same arguments
    assert_eq!(
        recvs,
        vec![
            &OsCall::Recv { fd: 7, max: 10 },
            &OsCall::Recv { fd: 7, max: 10 },
            &OsCall::Recv { fd: 7, max: 10 },
            &OsCall::Recv { fd: 7, max: 5 },
            &OsCall::Recv { fd: 7, max: 5 },
            &OsCall::Recv { fd: 7, max: 5 },
        ]
    );
    let blocked: Vec<&Step> = steps
        .iter()
        .filter(|s| matches!(s, Step::Blocked { .. }))
        .collect();
    assert_eq!(blocked.len(), 4);
    assert!(blocked.iter().all(|s| *s
        == &Step::Blocked {
            line: 3,
            on: Blocker::Os
        }));
    // while blocked, the UI sees the call stack
    assert_eq!(py.exit_code(), Some(0));
}

#[test]
fn the_frame_stack_is_visible_while_blocked() {
    let src = "import socket\n\
               def handle(conn):\n    data = conn.recv(1024)\n    return data\n\
               s = socket.socket()\n\
               handle(s)\n";
    let mut py = Interp::new("t.py", src);
    let mut os = Stubborn {
        calls: Vec::new(),
        out: String::new(),
        blocked: 0,
    };
    let mut saw = false;
    for _ in 0..50 {
        match py.step(0, &mut os) {
            Step::Blocked { line, .. } => {
                assert_eq!(line, 3);
                let frames = py.frames(0);
                assert_eq!(frames.len(), 2);
                assert_eq!((frames[0].name.as_str(), frames[0].line), ("<module>", 6));
                assert_eq!((frames[1].name.as_str(), frames[1].line), ("handle", 3));
                assert_eq!(py.current_line(0), Some(3));
                let locals = py.locals(0, 1);
                assert_eq!(locals[0].0, "conn");
                assert!(locals[0].1.starts_with("<socket.socket fd=7"), "{locals:?}");
                saw = true;
            }
            Step::Exited { .. } => break,
            Step::Ran { .. } => {}
        }
    }
    assert!(saw);
}

#[test]
fn one_step_is_one_statement() {
    let src = "x = 1\nif x:\n    y = 2\nfor i in range(2):\n    z = i\nprint(x)\n";
    let mut py = Interp::new("t.py", src);
    let mut os = TestOs::new();
    let mut lines = Vec::new();
    loop {
        match py.step(0, &mut os) {
            Step::Ran { line } => lines.push(line),
            Step::Exited { uncaught } => {
                assert!(uncaught.is_none());
                break;
            }
            Step::Blocked { .. } => panic!("blocked"),
        }
    }
    // the for header is a step per item, and once more when it ends
    assert_eq!(lines, vec![1, 2, 3, 4, 5, 4, 5, 4, 6]);
    assert_eq!(os.stdout, "1\n");
}

#[test]
fn a_snapshot_is_a_clone_and_replays_identically() {
    let src = "import threading\nout = []\n\
               def w(n):\n    for i in range(3):\n        out.append(n * 10 + i)\n\
               ts = [threading.Thread(target=w, args=(k,)) for k in range(2)]\n\
               for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(out)\n";
    let mut py = Interp::new("t.py", src);
    let mut os = TestOs::new();
    assert_eq!(os.run(&mut py, 12), RunEnd::OutOfSteps);
    let snap = py.clone();
    let os_snap = os.clone();
    assert_eq!(snap, py);
    let mut a = (py, os);
    let mut b = (snap, os_snap);
    assert_eq!(a.1.run(&mut a.0, 100_000), RunEnd::Finished);
    assert_eq!(b.1.run(&mut b.0, 100_000), RunEnd::Finished);
    assert_eq!(a.1.stdout, b.1.stdout);
    assert_eq!(a.0, b.0);
    assert_eq!(
        py_thread_names(&a.0),
        vec!["MainThread", "Thread-1 (w)", "Thread-2 (w)"]
    );
}

fn py_thread_names(py: &Interp) -> Vec<String> {
    (0..py.thread_count() as u32)
        .filter_map(|t| py.thread_name(t))
        .collect()
}

#[test]
fn a_socket_nobody_references_is_closed_through_the_host() {
    // a function's local socket, a rebound name, a thread that returns
    // without close(): each is closed when its last reference goes
    let src = "import socket, threading\n\
               def handler():\n    conn = socket.socket()\n    return 1\n\
               handler()\n\
               print('after handler')\n\
               s = socket.socket()\n\
               s = socket.socket()\n\
               print('after rebind')\n\
               def worker():\n    c = socket.socket()\n\
               t = threading.Thread(target=worker)\n\
               t.start()\nt.join()\n\
               print('after thread')\n\
               keep = socket.socket()\n";
    let mut py = Interp::new("t.py", src);
    let mut os = TestOs::new();
    assert_eq!(os.run(&mut py, 10_000), RunEnd::Finished);
    let events: Vec<String> = os
        .log
        .iter()
        .filter_map(|(_, _, c)| match c {
            OsCall::Close { fd } => Some(format!("close {fd}")),
            OsCall::Write { text, .. } => Some(text.trim().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        events,
        vec![
            "close 3",
            "after handler",
            "close 4",
            "after rebind",
            "close 6",
            "after thread",
        ]
    );
    // `s` (fd 5) and `keep` (fd 7) are still referenced by the module
}

#[test]
fn a_lock_held_by_another_thread_blocks_without_asking_the_host() {
    let src = "import threading, time\nlock = threading.Lock()\n\
               def w():\n    with lock:\n        print('worker has it')\n\
               lock.acquire()\n\
               t = threading.Thread(target=w)\nt.start()\n\
               time.sleep(1)\n\
               print('main releases')\nlock.release()\nt.join()\n";
    let mut py = Interp::new("t.py", src);
    let mut os = TestOs::new();
    assert_eq!(os.run(&mut py, 10_000), RunEnd::Finished);
    assert_eq!(os.stdout, "main releases\nworker has it\n");
    let mut py = Interp::new("t.py", src);
    let mut os = TestOs::new();
    // drive by hand: thread 1 blocks on the lock
    for _ in 0..20 {
        py.step(0, &mut os);
    }
    match py.step(1, &mut os) {
        Step::Blocked { on, line } => {
            assert_eq!(on, Blocker::Lock);
            assert_eq!(line, 4);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_uncaught_exception_in_a_thread_is_reported_as_cpython_does() {
    let src = "import threading\ndef boom():\n    raise ValueError('bad')\n\
               t = threading.Thread(target=boom)\nt.start()\nt.join()\nprint('main ok')\n";
    let mut py = Interp::with_argv("/srv/app.py", src, &["app.py"]);
    let mut os = TestOs::new();
    assert_eq!(os.run(&mut py, 1000), RunEnd::Finished);
    assert_eq!(os.stdout, "main ok\n");
    assert_eq!(
        os.stderr,
        "Exception in thread Thread-1 (boom):\nTraceback (most recent call last):\n  \
         File \"/usr/lib/python3.11/threading.py\", line 1038, in _bootstrap_inner\n    self.run()\n  \
         File \"/usr/lib/python3.11/threading.py\", line 975, in run\n    \
         self._target(*self._args, **self._kwargs)\n  File \"/srv/app.py\", line 3, in boom\n    \
         raise ValueError('bad')\nValueError: bad\n"
    );
    assert_eq!(py.exit_code(), Some(0));
}

#[test]
fn a_syntax_error_is_reported_by_the_first_step() {
    let mut py = Interp::new("client.py", "x = (1,\n");
    assert_eq!(py.syntax_error().map(|e| e.line), Some(1));
    let mut os = TestOs::new();
    match py.step(0, &mut os) {
        Step::Exited { uncaught: Some(u) } => {
            assert_eq!(u.kind, "SyntaxError");
            assert_eq!(u.exit_code, 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        os.stderr,
        "  File \"client.py\", line 1\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n"
    );
}

#[test]
fn ctrl_c_interrupts_a_blocked_thread_with_keyboardinterrupt() {
    let src = "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 8080))\ns.listen()\n\
               try:\n    conn, addr = s.accept()\nfinally:\n    print('closing')\n    s.close()\n";
    let mut py = Interp::with_argv("/srv/server.py", src, &["server.py"]);
    let mut os = TestOs::new();
    assert_eq!(os.run(&mut py, 100), RunEnd::Deadlock);
    py.interrupt(0);
    let mut last = None;
    for _ in 0..10 {
        let s = py.step(0, &mut os);
        if let Step::Exited { uncaught } = s {
            last = uncaught;
            break;
        }
    }
    let u = last.expect("exited with an exception");
    assert_eq!((u.kind.as_str(), u.exit_code), ("KeyboardInterrupt", 1));
    assert_eq!(os.stdout, "closing\n");
    assert_eq!(
        os.stderr,
        "Traceback (most recent call last):\n  File \"/srv/server.py\", line 6, in <module>\n    \
         conn, addr = s.accept()\n                 ^^^^^^^^^^\n  \
         File \"/usr/lib/python3.11/socket.py\", line 294, in accept\n    fd, addr = self._accept()\n    \
         \x20          ^^^^^^^^^^^^^^\nKeyboardInterrupt\n"
    );
}

#[test]
fn sort_names_sorts_as_std_does() {
    use std::rc::Rc;
    let mut seed = 7u64;
    for n in 0..60 {
        let mut v: Vec<Rc<str>> = (0..n)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Rc::from(format!("n{}", seed >> 58).as_str())
            })
            .collect();
        let mut want = v.clone();
        want.sort();
        super::builtins::sort_names(&mut v);
        assert_eq!(v, want);
    }
}
