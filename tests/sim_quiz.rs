//! The lessons' checkpoints judged on runs: for each kind of question, a
//! right and a wrong answer on the lesson's own programs, and on an edited
//! program where the right answer changes (or the question no longer
//! applies). Nothing stores the right letter: the verdict comes from what
//! the run then does.

use sockscope::sim::lessons::code::Script;
use sockscope::sim::quiz::{Checkpoint, Outcome, RecvOutcome, SendOutcome, Side, Verdict};
use sockscope::sim::{Lang, LessonId, Run, Setup};

fn checkpoint(lesson: LessonId, id: &str) -> Checkpoint {
    *lesson
        .info()
        .checkpoints
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{lesson:?} has no checkpoint {id}"))
}

/// The lesson's own program (server or client) with `edits` applied, each
/// a text that must be in it and its replacement.
fn edited(lesson: LessonId, server: bool, edits: &[(&str, &str)]) -> Script {
    let config = lesson.config(lesson.info().default_seed, Lang::En);
    let mut script = if server {
        config.server.script
    } else {
        config.clients[0].script.clone()
    };
    for (from, to) in edits {
        assert!(
            script.source.contains(from),
            "{from:?} not in\n{}",
            script.source
        );
        script.source = script.source.replacen(from, to, 1);
    }
    script
}

fn run_to_end(setup: Setup) -> Run {
    let mut run = Run::start(setup);
    run.play(200_000);
    assert!(run.is_finished(), "the run ends");
    run
}

/// Judges `id` on the run, checks that the choice with outcome `right` is
/// judged right and every other choice wrong, and returns the verdict.
fn judged(run: &Run, lesson: LessonId, id: &str, right: Outcome) -> Verdict {
    let cp = checkpoint(lesson, id);
    let v = cp.judge(run.log(), run.is_finished());
    let Verdict::Decided { outcome, .. } = &v else {
        panic!("{id}: not decided: {v:?}");
    };
    assert_eq!(*outcome, right, "{id}");
    let mut rights = 0;
    for (i, c) in cp.choices.iter().enumerate() {
        let is = cp.is_right(&v, i);
        assert_eq!(is, Some(c.outcome == right), "{id} choice {i}");
        rights += usize::from(c.outcome == right);
    }
    assert_eq!(rights, 1, "{id}: one choice foresaw {right:?}");
    v
}

fn lesson_run(lesson: LessonId) -> Run {
    run_to_end(Setup::new(lesson, lesson.info().default_seed))
}

fn setup(lesson: LessonId) -> Setup {
    Setup::new(lesson, lesson.info().default_seed)
}

fn explained(v: &Verdict, lang: Lang) -> String {
    match v {
        Verdict::Decided { explain, .. } => explain.get(lang),
        _ => panic!("{v:?}"),
    }
}

// ---- what recv() returns ----

#[test]
fn recv_the_whole_reply_or_b_empty_when_the_server_closes_instead() {
    let l = LessonId::Echo;
    let v = judged(
        &lesson_run(l),
        l,
        "first-reply",
        Outcome::Recv(RecvOutcome::Whole),
    );
    assert!(explained(&v, Lang::En).starts_with("recv() returned 23 bytes"));
    // The server closes the connection instead of replying.
    let mut s = setup(l);
    s.server = Some(edited(
        l,
        true,
        &[("conn.send(REPLY.encode(ENCODING))", "break")],
    ));
    let v = judged(
        &run_to_end(s),
        l,
        "first-reply",
        Outcome::Recv(RecvOutcome::Closed),
    );
    assert!(explained(&v, Lang::Zh).contains("b''"));
}

#[test]
fn recv_after_the_last_message_is_b_empty_or_a_whole_message_when_the_client_says_more() {
    let l = LessonId::Echo;
    judged(
        &lesson_run(l),
        l,
        "after-last-message",
        Outcome::Recv(RecvOutcome::Closed),
    );
    let mut s = setup(l);
    s.client = Some(edited(
        l,
        false,
        &[(
            "MESSAGES = sys.argv[1:]",
            "MESSAGES = sys.argv[1:] + ['bye']",
        )],
    ));
    judged(
        &run_to_end(s),
        l,
        "after-last-message",
        Outcome::Recv(RecvOutcome::Whole),
    );
}

#[test]
fn recv_8_runs_two_messages_together_and_recv_4_takes_one_whole() {
    let l = LessonId::ByteStream;
    let run = lesson_run(l);
    let v = judged(&run, l, "first-read", Outcome::Recv(RecvOutcome::Several));
    assert!(explained(&v, Lang::En).contains("2 send() calls run together"));
    judged(&run, l, "last-byte", Outcome::Recv(RecvOutcome::Part));
    let mut s = setup(l);
    s.server = Some(edited(l, true, &[("conn.recv(8)", "conn.recv(4)")]));
    let run = run_to_end(s);
    judged(&run, l, "first-read", Outcome::Recv(RecvOutcome::Whole));
    // 4 bytes at a time, the third read is "o", "ab" and half of 一: no
    // longer the lesson's one last byte.
    let v = judged(&run, l, "last-byte", Outcome::Recv(RecvOutcome::Several));
    assert!(explained(&v, Lang::En).starts_with("recv() returned 4 bytes, b'oab\\xd2'"));
}

#[test]
fn recv_of_a_slow_reader_is_part_of_a_send_or_all_of_a_short_one() {
    let l = LessonId::Buffers;
    judged(
        &lesson_run(l),
        l,
        "slow-read",
        Outcome::Recv(RecvOutcome::Part),
    );
    let mut s = setup(l);
    s.client = Some(edited(
        l,
        false,
        &[("MESSAGES = sys.argv[1:]", "MESSAGES = ['hi']")],
    ));
    judged(
        &run_to_end(s),
        l,
        "slow-read",
        Outcome::Recv(RecvOutcome::Whole),
    );
}

// ---- which side sends next ----

#[test]
fn the_client_speaks_first_unless_the_server_greets() {
    let l = LessonId::Echo;
    let v = judged(
        &lesson_run(l),
        l,
        "who-speaks-first",
        Outcome::Sender(Side::Client),
    );
    assert!(explained(&v, Lang::En).contains("from the client: 4 bytes of data"));
    // A server that greets each client, and a client that waits for it.
    let mut s = setup(l);
    s.server = Some(edited(
        l,
        true,
        &[(
            "print(\"client connected:\", addr)",
            "print(\"client connected:\", addr)\n        conn.send(b\"welcome\")",
        )],
    ));
    s.client = Some(edited(
        l,
        false,
        &[(
            "    for text in MESSAGES:",
            "    print(client.recv(1024))\n    for text in MESSAGES:",
        )],
    ));
    let v = judged(
        &run_to_end(s),
        l,
        "who-speaks-first",
        Outcome::Sender(Side::Server),
    );
    assert!(explained(&v, Lang::En).contains("from the server: 7 bytes"));
}

// ---- whether send() blocks ----

#[test]
fn send_of_43_bytes_into_16_blocks_and_of_2_returns_at_once() {
    let l = LessonId::Buffers;
    let v = judged(
        &lesson_run(l),
        l,
        "send-blocks",
        Outcome::Send(SendOutcome::Blocks),
    );
    assert!(explained(&v, Lang::En).contains("only 16 of its 43 bytes fit"));
    let mut s = setup(l);
    s.client = Some(edited(
        l,
        false,
        &[("MESSAGES = sys.argv[1:]", "MESSAGES = ['hi']")],
    ));
    judged(
        &run_to_end(s),
        l,
        "send-blocks",
        Outcome::Send(SendOutcome::AtOnce),
    );
}

// ---- no longer applies ----

#[test]
fn a_checkpoint_whose_moment_never_comes_is_skipped_with_a_note() {
    let l = LessonId::Echo;
    // A client that connects and closes without a word: it never recv()s,
    // nor does the server a third time.
    let mut s = setup(l);
    s.client = Some(edited(
        l,
        false,
        &[("    for text in MESSAGES:", "    for text in []:")],
    ));
    let run = run_to_end(s);
    for id in ["first-reply", "after-last-message"] {
        let cp = checkpoint(l, id);
        let v = cp.judge(run.log(), true);
        let Verdict::Skipped { why } = &v else {
            panic!("{id}: {v:?}");
        };
        assert!(why.en.contains("skipped") && why.zh.contains("跳过"));
        assert_eq!(cp.is_right(&v, 0), None, "{id}: neither right nor wrong");
        // Before the run ends, it is only not decided yet.
        assert!(!matches!(
            cp.judge(run.log(), false),
            Verdict::Skipped { .. }
        ));
    }
    // The client still sends first: a FIN.
    let v = judged(&run, l, "who-speaks-first", Outcome::Sender(Side::Client));
    assert!(explained(&v, Lang::En).contains("from the client: a FIN"));
}

#[test]
fn verdicts_do_not_depend_on_the_language_of_the_programs() {
    for l in [LessonId::Echo, LessonId::ByteStream, LessonId::Buffers] {
        let en = lesson_run(l);
        let zh = run_to_end(setup(l).in_lang(Lang::Zh));
        for cp in l.info().checkpoints {
            let (a, b) = (cp.judge(en.log(), true), cp.judge(zh.log(), true));
            assert_eq!(
                cp.right_choices(&a),
                cp.right_choices(&b),
                "{l:?} {}",
                cp.id
            );
        }
    }
}
