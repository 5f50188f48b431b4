//! Snapshot tests: each lesson's console output and narrated event log, as a
//! learner would read them. Review changes with `cargo insta review`.

use sockscope::sim::{EventKind, HostId, Lang, LessonId, Run, Setup};

fn transcript(lesson: LessonId, lang: Lang) -> String {
    let mut run = Run::start(Setup::new(lesson, lesson.info().default_seed).in_lang(lang));
    let steps = run.play(50_000);
    assert!(run.is_finished(), "{lesson:?} must reach its natural end");
    let mut out = String::new();
    out.push_str(&format!(
        "lesson {} (seed {}), {} steps, ends at {}\n",
        lesson.slug(),
        run.seed(),
        steps,
        run.world().now()
    ));
    for h in run.world().hosts() {
        out.push_str(&format!("\n== console of {} ({}) ==\n", h.name, h.ip));
        for line in run.console(h.id) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\n== events ==\n");
    for e in run.log() {
        let who = match (e.host, e.thread) {
            (Some(h), Some(t)) => {
                let t = &run.world().threads()[t.0 as usize];
                // A forked process's thread: the host and the process's PID.
                match Some(t.pid).filter(|_| t.forked) {
                    Some(pid) => format!("{}[{pid}]/{}", h.name(), t.name),
                    None => format!("{}/{}", h.name(), t.name),
                }
            }
            (Some(h), None) => h.name(),
            _ => "learner".into(),
        };
        let line = e.line.map(|l| format!(" L{l}")).unwrap_or_default();
        out.push_str(&format!(
            "{:>4} {:>10} {:<8} {:<32}{} {}\n",
            e.step,
            e.at.to_string(),
            format!("{:?}", e.category()).to_lowercase(),
            who,
            line,
            e.narration(lang)
        ));
    }
    out
}

/// Every lesson, in both languages: `tests/snapshots/sim_lessons__{slug}_{lang}.snap`.
/// A new lesson gets its snapshots on the first run (`cargo insta review`).
#[test]
fn every_lesson_in_both_languages() {
    for lesson in LessonId::ALL {
        for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
            let name = format!("{}_{code}", lesson.slug().replace('-', "_"));
            insta::assert_snapshot!(name, transcript(lesson, lang));
        }
    }
}

/// The consoles read exactly like the real Python server's in each
/// language, built from the same `echo` functions the native server prints
/// with: checked here without the snapshot files.
#[test]
fn the_echo_console_matches_the_course_format_in_both_languages() {
    use sockscope::echo::{connected_line_in, default_reply, message_line, offline_line_in};
    for lang in [Lang::En, Lang::Zh] {
        let mut run = Run::start(Setup::new(LessonId::Echo, 7).in_lang(lang));
        run.play(50_000);
        let server = run.console(HostId(0));
        let client_port = run
            .log()
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::Return {
                    ret: sockscope::sim::event::Ret::Connected { local },
                    ..
                } => Some(local.port),
                _ => None,
            })
            .unwrap();
        let addr = sockscope::pyrepr::python_addr("10.0.0.2", client_port);
        assert_eq!(
            server,
            vec![
                connected_line_in(lang, &addr),
                message_line("你好", &addr),
                message_line("how are you?", &addr),
                offline_line_in(lang, &addr),
            ]
        );
        assert_eq!(run.console(HostId(1)), vec![default_reply(lang); 2]);
    }
}

/// The byte-stream lesson must actually show what it promises.
#[test]
fn byte_stream_shows_merged_sends_split_sends_and_a_cut_character() {
    let mut run = Run::new(
        LessonId::ByteStream,
        LessonId::ByteStream.info().default_seed,
    );
    run.play(50_000);
    let server: Vec<String> = run
        .console(HostId(0))
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        server.iter().any(|l| l.starts_with("你好hell ")),
        "two sends in one recv: {server:?}"
    );
    assert!(
        server.iter().any(|l| l.starts_with("o")),
        "the rest of 'hello' in the next recv"
    );
    assert!(
        server.iter().any(|l| l.contains('\u{FFFD}')),
        "a GBK character cut in two: {server:?}"
    );
}

/// The events of a lesson's default run, in English.
fn played(lesson: LessonId) -> Run {
    let mut run = Run::new(lesson, lesson.info().default_seed);
    run.play(50_000);
    assert!(run.is_finished(), "{lesson:?}");
    run
}

/// Whether some event of the run matches.
fn any(run: &Run, pred: impl Fn(&EventKind) -> bool) -> bool {
    run.log().iter().any(|e| pred(&e.kind))
}

/// The mistakes lessons show the moment each is about, in their events
/// (what the narration of the snapshots reads out).
#[test]
fn the_mistakes_lessons_show_what_they_promise() {
    use sockscope::sim::event::{
        Call, DropReason, PortHolder, Ret, SendReason, SysError, ThreadEnd,
    };
    use sockscope::sim::lessons::Group;
    use sockscope::sim::State;
    let failed = |e: &EventKind, call: fn(&Call) -> bool, err: SysError| matches!(e, EventKind::Return { call: c, ret: Ret::Error { error } } if call(c) && *error == err);

    // reset: close() with 6 unread bytes, then two RSTs from the server,
    // ConnectionResetError then BrokenPipeError on the client.
    let run = played(LessonId::Reset);
    assert!(any(&run, |e| matches!(
        e,
        EventKind::Call {
            call: Call::Close { unread: 6, .. }
        }
    )));
    let rsts = run
        .log()
        .iter()
        .filter(|e| {
            e.host == Some(HostId::SERVER)
                && matches!(
                    &e.kind,
                    EventKind::SegmentSent {
                        reason: SendReason::Rst,
                        ..
                    }
                )
        })
        .count();
    assert_eq!(rsts, 2);
    assert!(any(&run, |e| failed(
        e,
        |c| matches!(c, Call::Recv { .. }),
        SysError::ConnectionReset
    )));
    assert!(any(&run, |e| failed(
        e,
        |c| matches!(c, Call::Send { .. }),
        SysError::BrokenPipe
    )));

    // half-close: the server reads b'' after the client's shutdown, then
    // still sends its answer, which the client reads.
    let run = played(LessonId::HalfClose);
    let at = |pred: &dyn Fn(&sockscope::sim::Event) -> bool| run.log().iter().position(pred);
    let shutdown = at(&|e| {
        matches!(
            e.kind,
            EventKind::Call {
                call: Call::Shutdown { .. }
            }
        )
    })
    .unwrap();
    let eof = at(&|e| {
        e.host == Some(HostId::SERVER)
            && matches!(&e.kind, EventKind::Return { ret: Ret::Received { data, .. }, .. } if data.is_empty())
    })
    .unwrap();
    let answer = at(&|e| {
        e.host == Some(HostId::SERVER)
            && matches!(&e.kind, EventKind::SegmentSent { segment, .. } if !segment.payload.is_empty())
    })
    .unwrap();
    assert!(shutdown < eof && eof < answer);
    assert!(run.console(HostId(1))[1].contains("43 bytes"));

    // busy-loop: the handler spins on b'' (counted), in CLOSE-WAIT, until
    // the process ends and kills it.
    let run = played(LessonId::BusyLoop);
    assert!(any(
        &run,
        |e| matches!(e, EventKind::Spinning { statements: 1000, eof_recvs } if *eof_recvs > 300)
    ));
    assert!(any(&run, |e| matches!(
        e,
        EventKind::ThreadEnded {
            end: ThreadEnd::Killed,
            ..
        }
    )));
    assert!(any(&run, |e| matches!(
        e,
        EventKind::State {
            from: State::CloseWait,
            to: State::LastAck
        }
    )));

    // daemon: the process waits for B, then A is killed mid-conversation.
    let run = played(LessonId::Daemon);
    assert!(any(
        &run,
        |e| matches!(e, EventKind::WaitingForThreads { threads } if threads == &["Thread-2 (talk)".to_string()])
    ));
    assert!(any(
        &run,
        |e| matches!(e, EventKind::ThreadEnded { name, end: ThreadEnd::Killed } if name == "Thread-1 (talk)")
    ));

    // backlog: three SYNs dropped for a full accept queue in the first
    // round, retransmitted, and everyone served.
    let run = played(LessonId::Backlog);
    let drops = run
        .log()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::SegmentDropped {
                    reason: DropReason::BacklogFull,
                    ..
                }
            )
        })
        .count();
    // Three clients, each SYN dropped at 0, 1 and 2 s (the server
    // calls accept() from 2.5 s): the fourth, at 3 s, gets in.
    assert_eq!(drops, 9);
    assert!(any(&run, |e| matches!(
        e,
        EventKind::SegmentSent {
            reason: SendReason::SynRetransmit,
            ..
        }
    )));
    assert_eq!(run.console(HostId::SERVER).len(), 6);

    // reuse-addr: the second run's bind() meets the TIME-WAIT connection
    // and fails with [Errno 98]; the third binds.
    let run = played(LessonId::ReuseAddr);
    assert!(any(&run, |e| matches!(
        e,
        EventKind::PortInUse {
            port: 9090,
            holder: PortHolder::Connection {
                state: State::TimeWait,
                reuse_addr: true,
                time_wait_left: Some(_),
                ..
            },
            reuse_addr: false,
        }
    )));
    assert!(any(&run, |e| failed(
        e,
        |c| matches!(c, Call::Bind { .. }),
        SysError::AddrInUse
    )));
    let starts = run
        .log()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ProgramRestarted { .. }))
        .count();
    assert_eq!(starts, 2);
    assert_eq!(run.console(HostId(2)), vec!["the server says: served, bye"]);

    // And they are the mistakes group.
    for l in [
        LessonId::Reset,
        LessonId::HalfClose,
        LessonId::BusyLoop,
        LessonId::Daemon,
        LessonId::Backlog,
        LessonId::ReuseAddr,
    ] {
        assert_eq!(l.info().group, Group::Mistakes);
    }
}
