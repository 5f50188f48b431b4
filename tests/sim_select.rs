//! The `select` lesson: what each `select` return says is ready is what
//! Linux's `tcp_poll` says of the sockets at that moment, and the server
//! serves three clients with one thread that never waits anywhere else.

use sockscope::sim::event::{Call, Readiness, Ready, Ret};
use sockscope::sim::os::thread::ThreadState;
use sockscope::sim::view::SocketDetail;
use sockscope::sim::{EventKind, HostId, Lang, LessonId, Run, Setup, State};

fn run(lesson: LessonId, lang: Lang) -> Run {
    Run::start(Setup::new(lesson, lesson.info().default_seed).in_lang(lang))
}

/// At every `sel.select()` return, each watched fd is in the ready set
/// exactly when a read on it would not block: a listening socket with
/// finished handshakes in its accept queue (as many as it says), a
/// connection with bytes in its receive buffer (as many as it says) or the
/// peer's FIN; a connection with neither is not ready.
#[test]
fn every_select_return_names_exactly_the_readable_fds() {
    for lang in [Lang::En, Lang::Zh] {
        let mut run = run(LessonId::Select, lang);
        let (mut returns, mut several, mut accepts, mut data, mut eofs) = (0, 0, 0, 0, 0);
        while run.step() {
            let step = run.current_step();
            let selected: Vec<(Vec<u32>, Vec<Ready>)> = run
                .events_at(step)
                .iter()
                .filter(|e| e.host == Some(HostId::SERVER))
                .filter_map(|e| match &e.kind {
                    EventKind::Return {
                        call: Call::Select { read, write, epoll },
                        ret:
                            Ret::Selected {
                                read: ready,
                                write: w,
                            },
                    } => {
                        assert!(*epoll, "the lesson's server uses a selector");
                        assert!(write.is_empty() && w.is_empty(), "it only reads");
                        Some((read.clone(), ready.clone()))
                    }
                    _ => None,
                })
                .collect();
            let sockets = run.world().sockets(HostId::SERVER);
            for (watched, ready) in selected {
                returns += 1;
                assert!(
                    !ready.is_empty(),
                    "no timeout: it returns only with a ready fd"
                );
                if ready.len() > 1 {
                    several += 1;
                }
                for r in &ready {
                    assert!(watched.contains(&(r.fd)), "{r:?} was watched");
                }
                for fd in watched {
                    let sock = sockets
                        .iter()
                        .find(|s| s.fd == Some(fd))
                        .unwrap_or_else(|| panic!("step {step}: fd {fd} is open"));
                    let ready = ready.iter().find(|r| r.fd == fd);
                    match (&sock.detail, ready.map(|r| (r.why, r.peer))) {
                        (
                            SocketDetail::Listening { accept_queue, .. },
                            Some((Readiness::Accept { queued }, None)),
                        ) => {
                            accepts += 1;
                            assert_eq!(accept_queue.len(), queued, "step {step}");
                        }
                        (SocketDetail::Listening { accept_queue, .. }, None) => {
                            assert!(accept_queue.is_empty(), "step {step}: fd {fd} is readable")
                        }
                        (SocketDetail::Stream(v), Some((Readiness::Data { bytes }, peer))) => {
                            data += 1;
                            assert_eq!(v.recv_buffer.len(), bytes, "step {step}");
                            assert_eq!(peer, Some(v.remote), "the fd's client");
                        }
                        (SocketDetail::Stream(v), Some((Readiness::Eof, peer))) => {
                            eofs += 1;
                            assert!(v.recv_buffer.is_empty());
                            assert_eq!(v.state, State::CloseWait, "the client's FIN came");
                            assert_eq!(peer, Some(v.remote));
                        }
                        (SocketDetail::Stream(v), None) => {
                            assert!(
                                v.recv_buffer.is_empty() && v.state == State::Established,
                                "step {step}: fd {fd} is readable: {:?}",
                                v.state
                            )
                        }
                        (detail, why) => panic!("step {step}: fd {fd} {detail:?} ready as {why:?}"),
                    }
                }
            }
        }
        assert!(run.is_finished());
        // Three handshakes, six messages and three FINs, all seen by select.
        assert!(returns >= 9, "{returns} returns");
        assert!(
            accepts >= 2 && data == 6 && eofs == 3,
            "{accepts} {data} {eofs}"
        );
        assert!(several >= 1, "one return reports several clients at once");
    }
}

/// One thread serves all three clients, and it waits only in select:
/// accept() and recv() on the sockets select reported never block and never
/// raise BlockingIOError. The thread-per-client server of `multi-client`
/// needs four threads for the same clients.
#[test]
fn one_thread_serves_every_client_and_waits_only_in_select() {
    let mut select = run(LessonId::Select, Lang::En);
    select.play(50_000);
    let mut threaded = run(LessonId::MultiClient, Lang::En);
    threaded.play(50_000);
    let server_threads = |r: &Run| {
        r.world()
            .threads()
            .iter()
            .filter(|t| t.host == HostId::SERVER)
            .count()
    };
    assert_eq!(server_threads(&select), 1);
    assert_eq!(server_threads(&threaded), 4);
    for e in select
        .log()
        .iter()
        .filter(|e| e.host == Some(HostId::SERVER))
    {
        match &e.kind {
            EventKind::Blocked { call, .. } => {
                assert!(matches!(call, Call::Select { .. }), "blocked in {call:?}")
            }
            EventKind::Return {
                ret: Ret::Error { error },
                call,
            } => panic!("{call:?} raised {error:?}"),
            _ => {}
        }
    }
    let main = &select.world().threads()[0];
    assert!(
        matches!(
            &main.state,
            ThreadState::Blocked {
                call: Call::Select { .. },
                ..
            }
        ),
        "at the end it waits in select for the next client: {:?}",
        main.state
    );
    let sorted = |r: &Run| {
        let mut lines: Vec<String> = r
            .console(HostId::SERVER)
            .iter()
            .map(|l| l.to_string())
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&select).len(), 12);
    assert_eq!(
        sorted(&select),
        sorted(&threaded),
        "the threaded server's lines, in another order"
    );
}

/// After the three clients, the server still waits in select: a client the
/// learner adds is accepted and served by the same one thread, and its
/// close is seen too.
#[test]
fn a_client_the_learner_adds_is_served_by_the_same_thread() {
    use sockscope::sim::Action;
    let mut run = run(LessonId::Select, Lang::En);
    run.play(50_000);
    run.apply(Action::AddClient);
    run.play(50_000);
    run.apply(Action::Send {
        client: 4,
        text: "one more".into(),
    });
    run.play(50_000);
    run.apply(Action::RecvNow { client: 4 });
    run.play(50_000);
    run.apply(Action::Close { client: 4 });
    run.play(50_000);
    let server = run.console(HostId::SERVER);
    let tail: Vec<&str> = server[12..]
        .iter()
        .map(|l| l.split(" (").next().unwrap())
        .collect();
    assert_eq!(
        tail,
        ["client connected:", "one more", "client offline:"],
        "{server:?}"
    );
    assert!(run
        .console(HostId(4))
        .iter()
        .any(|l| l.contains("Got it, working on it")));
    assert_eq!(
        run.world()
            .threads()
            .iter()
            .filter(|t| t.host == HostId::SERVER)
            .count(),
        1
    );
}
