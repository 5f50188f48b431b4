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
