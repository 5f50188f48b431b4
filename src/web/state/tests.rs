//! Unit tests of the state and its reducer.

use super::play::{draws_a_new_box, MAX_NEW_BOXES_PER_TICK, MAX_STEPS_PER_TICK};
use super::*;
use crate::sim::event::{Call, EventKind};
use crate::sim::lessons::code::Script;
use crate::sim::{self, Category, HostId};
use std::rc::Rc;
use yew::Reducible;

#[test]
fn toggling_a_category_hides_only_it_and_toggling_again_shows_it() {
    let mut hidden = CategorySet::default();
    hidden.toggle(Category::Buffer);
    for c in Category::ALL {
        assert_eq!(hidden.contains(c), c == Category::Buffer);
    }
    hidden.toggle(Category::Buffer);
    assert_eq!(hidden, CategorySet::default());
    let all: CategorySet = Category::ALL.into_iter().collect();
    assert!(Category::ALL.iter().all(|&c| all.contains(c)));
}

fn opened(lesson: LessonId) -> Rc<State> {
    let url = UrlState {
        lesson: Some(lesson),
        ..UrlState::default()
    };
    Rc::new(State::new(url, Some(Lang::En)))
}

fn playing(lesson: LessonId, extra_clients: usize) -> Rc<State> {
    let mut state = opened(lesson);
    for _ in 0..extra_clients {
        state = state.reduce(Action::Learner(sim::Action::AddClient));
    }
    state = state.reduce(Action::SetSpeed(Speed::Fastest));
    if state.playing {
        state
    } else {
        state.reduce(Action::TogglePlay)
    }
}

#[test]
fn a_tick_takes_a_bounded_number_of_steps_and_the_clock_never_runs_ahead() {
    let mut state = playing(LessonId::MultiClient, 5);
    let mut ticks = 0;
    let mut last_clock = state.clock;
    let mut max_boxes_seen = 0;
    while state.playing {
        let before = state.run.borrow().current_step();
        state = state.reduce(Action::Tick(33));
        let run = state.run.borrow();
        let taken = run.current_step() - before;
        assert!(
            taken <= u64::from(MAX_STEPS_PER_TICK),
            "{taken} steps in one tick"
        );
        // New boxes stop a tick: its steps before the last drew fewer than the budget.
        let boxes_in = |s: u64| {
            run.events_at(s)
                .iter()
                .filter(|e| draws_a_new_box(e))
                .count()
        };
        let before_last: usize = (before + 1..run.current_step()).map(boxes_in).sum();
        assert!(
            before_last < MAX_NEW_BOXES_PER_TICK,
            "{before_last} new boxes before the last step"
        );
        if taken > 0 {
            max_boxes_seen = max_boxes_seen.max(before_last + boxes_in(run.current_step()));
        }
        // The display clock is never past an event that has not run,
        // nor before the current step's time.
        if let Some(next) = run.world().next_event_at() {
            assert!(state.clock <= next);
        }
        assert!(state.clock >= run.world().now());
        assert!(state.clock >= last_clock, "the clock went back");
        last_clock = state.clock;
        drop(run);
        ticks += 1;
        assert!(ticks < 100_000, "playing never ends");
    }
    // Eight clients connecting did make the budget bite.
    assert!(max_boxes_seen >= MAX_NEW_BOXES_PER_TICK);
    let run = state.run.borrow();
    assert!(run.is_finished());
    // The same run, stepped by hand, ends at the same step and time.
    let mut by_hand = Run::new(LessonId::MultiClient, state.seed);
    for _ in 0..5 {
        by_hand.apply(sim::Action::AddClient);
    }
    while by_hand.step() {}
    assert_eq!(run.current_step(), by_hand.current_step());
    assert_eq!(run.world().now(), by_hand.world().now());
    assert_eq!(state.clock, by_hand.world().now());
}

#[test]
fn playing_shows_each_step_long_enough_to_read_it() {
    let mut state = opened(LessonId::Echo).reduce(Action::TogglePlay);
    // Ten seconds of real time at 1×, in 33 ms ticks.
    for _ in 0..300 {
        state = state.reduce(Action::Tick(33));
    }
    let steps = state.run.borrow().current_step();
    assert!(
        (5..=15).contains(&steps),
        "{steps} steps in 10 s at 1×: a learner cannot read that"
    );
}

#[test]
fn the_timeline_spans_the_whole_lesson() {
    let state = opened(LessonId::Echo).reduce(Action::Measure);
    let mut end = Run::new(LessonId::Echo, state.seed);
    while end.step() {}
    assert_eq!(state.total, Some(end.current_step()));
    assert!(!state.total_open);
}

#[test]
fn a_learner_action_in_a_paused_lesson_plays_until_its_effect_shows() {
    let mut state = opened(LessonId::Sandbox);
    state = state.reduce(Action::Learner(sim::Action::AddClient));
    assert!(state.playing);
    assert_eq!(state.note.as_ref().unwrap().status, NoteStatus::Running);
    for _ in 0..10_000 {
        if !state.playing {
            break;
        }
        state = state.reduce(Action::Tick(100));
    }
    assert!(!state.playing, "it pauses once the effect shows");
    let note = state.note.clone().unwrap();
    let NoteStatus::Done { step, event } = note.status else {
        panic!("{:?}", note.status)
    };
    assert_eq!(step, state.run.borrow().current_step());
    assert!(matches!(
        event.kind,
        EventKind::Return {
            call: Call::Connect { .. },
            ..
        }
    ));
}

#[test]
fn an_action_the_world_refuses_says_why() {
    let state = opened(LessonId::Sandbox).reduce(Action::Learner(sim::Action::Send {
        client: 3,
        text: "hi".into(),
    }));
    let note = state.note.clone().unwrap();
    assert!(
        matches!(note.status, NoteStatus::Ignored { .. }),
        "{note:?}"
    );
    assert!(!state.playing);
}

#[test]
fn the_decoding_follows_the_program_until_the_learner_chooses() {
    assert_eq!(
        program_encoding("ENCODING = \"utf-8\"  # how"),
        Some(TextEncoding::Utf8)
    );
    assert_eq!(
        program_encoding("x = data.decode('gbk')"),
        Some(TextEncoding::Gbk)
    );
    assert_eq!(program_encoding("# ENCODING = \"utf-8\"\nx = 1"), None);
    assert_eq!(
        program_encoding("conn.sendall(REPORT.encode())"),
        Some(TextEncoding::Utf8)
    );
    let state = opened(LessonId::Echo);
    assert_eq!(state.decode, TextEncoding::Gbk);
    let source = state.run.borrow().world().source_text(HostId::SERVER);
    let utf8 = source.replace("\"gbk\"", "\"utf-8\"");
    let state = state.reduce(Action::RunCode {
        server: Some(Script {
            file: "server.py".into(),
            source: utf8,
        }),
        client: None,
    });
    assert_eq!(state.decode, TextEncoding::Utf8);
    let state = state.reduce(Action::SetDecode(TextEncoding::Gbk));
    let state = state.reduce(Action::Reset);
    assert_eq!(
        state.decode,
        TextEncoding::Gbk,
        "the learner's choice stays"
    );
}
/// Ticks until playing stops (or a bound), at the top speed.
fn play_on(mut state: Rc<State>) -> Rc<State> {
    state = state.reduce(Action::SetSpeed(Speed::Fastest));
    if !state.playing {
        state = state.reduce(Action::TogglePlay);
    }
    for _ in 0..100_000 {
        if !state.playing {
            break;
        }
        state = state.reduce(Action::Tick(100));
    }
    state
}

#[test]
fn playing_pauses_before_a_checkpoint_and_answering_goes_on_to_the_verdict() {
    let lesson = LessonId::Echo;
    let cps = lesson.info().checkpoints;
    let state = play_on(opened(lesson));
    assert_eq!(
        state.quiz.asking,
        Some(0),
        "paused to ask the first question"
    );
    let (step, log) = {
        let run = state.run.borrow();
        (run.current_step(), run.log().to_vec())
    };
    assert_eq!(
        cps[0].fires_at(&log),
        None,
        "the trigger is not on screen yet"
    );
    // The trigger is the next step's first event.
    let mut ahead = Run::new(lesson, state.seed);
    ahead.seek(step + 1);
    assert_eq!(cps[0].ask_step(ahead.log()), Some(step));
    // An answer that is not the question asked changes nothing.
    let same = state.clone().reduce(Action::Answer {
        checkpoint: 1,
        choice: 0,
    });
    assert!(Rc::ptr_eq(&same, &state));
    let right = cps[0]
        .choices
        .iter()
        .position(|c| c.outcome == sim::quiz::Outcome::Sender(sim::quiz::Side::Client))
        .unwrap();
    let state = state.reduce(Action::Answer {
        checkpoint: 0,
        choice: right,
    });
    assert!(state.playing && state.quiz.asking.is_none());
    assert_eq!(state.quiz.shown, Some(0));
    // On to the next question; the first is decided by then.
    let state = play_on(state);
    assert_eq!(state.quiz.asking, Some(1));
    let log = state.run.borrow().log().to_vec();
    let verdicts: Vec<_> = cps.iter().map(|cp| cp.judge(&log, false)).collect();
    assert_eq!(
        crate::web::components::quiz::score(cps, &verdicts, &state.quiz),
        (1, 3)
    );
    // A wrong answer to the second, and Play past the third.
    let wrong = cps[1]
        .choices
        .iter()
        .position(|c| c.outcome != sim::quiz::Outcome::Recv(sim::quiz::RecvOutcome::Whole));
    let state = play_on(state.reduce(Action::Answer {
        checkpoint: 1,
        choice: wrong.unwrap(),
    }));
    assert_eq!(state.quiz.asking, Some(2));
    let state = play_on(state.reduce(Action::TogglePlay));
    assert!(state.run.borrow().is_finished());
    assert_eq!(state.quiz.reply(2), Some(Reply::Passed));
    let log = state.run.borrow().log().to_vec();
    let verdicts: Vec<_> = cps.iter().map(|cp| cp.judge(&log, true)).collect();
    assert_eq!(
        crate::web::components::quiz::score(cps, &verdicts, &state.quiz),
        (1, 3)
    );
    // Stepping back and seeking keep the replies and ask nothing.
    let back = state.reduce(Action::Seek(5)).reduce(Action::StepBack);
    assert_eq!(back.quiz.reply(0), Some(Reply::Chose(right)));
    assert_eq!(back.quiz.asking, None);
    // The link carries them.
    assert_eq!(
        back.quiz.link_value().as_deref(),
        Some(&*format!(
            "{}{}-",
            Reply::Chose(right).code(),
            Reply::Chose(wrong.unwrap()).code()
        ))
    );
    // A new run asks again.
    let fresh = back.reduce(Action::Reset);
    assert_eq!(fresh.quiz.replies, vec![None; 3]);
}

#[test]
fn stepping_into_a_checkpoint_asks_and_stepping_again_passes_it() {
    let mut state = opened(LessonId::Buffers);
    for _ in 0..2_000 {
        state = state.reduce(Action::Step);
        if state.quiz.asking.is_some() {
            break;
        }
    }
    assert_eq!(state.quiz.asking, Some(0));
    let at = state.run.borrow().current_step();
    let state = state.reduce(Action::Step);
    assert_eq!(state.quiz.asking, None);
    assert_eq!(state.quiz.reply(0), Some(Reply::Passed));
    assert_eq!(state.run.borrow().current_step(), at + 1);
}

#[test]
fn quiz_0_plays_every_lesson_through_without_a_question() {
    for lesson in [LessonId::Echo, LessonId::ByteStream, LessonId::Buffers] {
        let url = UrlState {
            lesson: Some(lesson),
            quiz_off: true,
            ..UrlState::default()
        };
        let state = play_on(Rc::new(State::new(url, Some(Lang::En))));
        assert!(state.run.borrow().is_finished(), "{lesson:?}");
        assert_eq!(state.quiz.asking, None);
        assert_eq!(state.quiz.link_value().as_deref(), Some("0"));
    }
}

#[test]
fn a_link_restores_the_replies() {
    let url = UrlState::parse("?lesson=echo&quiz=a_-");
    let state = State::new(url, Some(Lang::En));
    assert_eq!(
        state.quiz.replies,
        vec![Some(Reply::Chose(0)), None, Some(Reply::Passed)]
    );
    // More replies than the lesson has checkpoints: the rest are dropped.
    let state = State::new(UrlState::parse("?lesson=buffers&quiz=abcabc"), None);
    assert_eq!(state.quiz.replies.len(), 2);
}

#[test]
fn a_links_actions_the_world_refuses_are_listed_with_why_until_dismissed() {
    // A loss rate out of range, and a send to a client that is not there:
    // the run replays without them, and says which and why.
    let actions = r#"[{"step":1,"action":{"a":"set-loss","percent":250}},{"step":2,"action":{"a":"send","client":7,"text":"hi"}}]"#;
    let query = format!("?lesson=sandbox&actions={}&step=20", encode(actions));
    let state = Rc::new(State::new(UrlState::parse(&query), Some(Lang::En)));
    assert!(state.problems.is_empty(), "{:?}", state.problems);
    let refused: Vec<&str> = state.refused.iter().map(|t| t.as_str(Lang::En)).collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].contains("250%") && refused[0].contains("between 0 and 100"),
        "{refused:?}"
    );
    assert!(refused[1].contains("client-7"), "{refused:?}");
    assert!(state.refused[0].as_str(Lang::Zh).contains("丢包率"));
    // The loss rate stayed as it was.
    assert_eq!(
        state.run.borrow().world().network_settings().loss_percent,
        0
    );
    let state = state.reduce(Action::DismissProblems);
    assert!(state.refused.is_empty());

    // A link whose actions all apply has nothing to say.
    let query = format!(
        "?lesson=sandbox&actions={}&step=20",
        encode(r#"[{"step":1,"action":{"a":"add-client"}}]"#)
    );
    let state = State::new(UrlState::parse(&query), Some(Lang::En));
    assert!(state.refused.is_empty(), "{:?}", state.refused);
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The lesson opened with the interpreter's module still on its way (the
/// split build, before it has arrived).
fn opened_loading(url: UrlState) -> Rc<State> {
    Rc::new(State::with_interpreter(
        url,
        Some(Lang::En),
        Interpreter::Loading,
    ))
}

fn lesson_url(lesson: LessonId) -> UrlState {
    UrlState {
        lesson: Some(lesson),
        ..UrlState::default()
    }
}

#[test]
fn before_the_interpreter_arrives_what_runs_a_program_waits_and_is_done_in_order_when_it_does() {
    let asked = [
        Action::Step,
        Action::Step,
        Action::Learner(sim::Action::AddClient),
        Action::Step,
        Action::StepBack,
        Action::Measure,
    ];
    let mut waiting = opened_loading(lesson_url(LessonId::MultiClient));
    for a in asked.iter().cloned() {
        waiting = waiting.reduce(a);
        // Nothing ran: the run is at its start, and play's ticks do nothing.
        assert_eq!(waiting.run.borrow().current_step(), 0);
        assert!(waiting.run.borrow().log().is_empty());
    }
    waiting = waiting.reduce(Action::TogglePlay);
    assert!(
        !waiting.playing,
        "play comes after the steps asked for before it"
    );
    waiting = waiting.reduce(Action::Tick(1000));
    assert_eq!(waiting.run.borrow().current_step(), 0);
    assert_eq!(waiting.waiting.len(), asked.len() + 1);

    let arrived = waiting.reduce(Action::InterpreterLoaded(true));
    let mut direct = opened(LessonId::MultiClient);
    for a in asked.iter().cloned().chain([Action::TogglePlay]) {
        direct = direct.reduce(a);
    }
    assert_eq!(arrived.interpreter, Interpreter::Ready);
    assert!(arrived.waiting.is_empty());
    assert!(arrived.run.borrow().current_step() > 0);
    assert_eq!(
        arrived.run.borrow().current_step(),
        direct.run.borrow().current_step()
    );
    assert_eq!(arrived.run.borrow().world(), direct.run.borrow().world());
    assert_eq!(arrived.run.borrow().log(), direct.run.borrow().log());
    assert_eq!(arrived.total, direct.total);
    assert!(arrived.total.is_some(), "the queued Measure found the end");
    assert_eq!(arrived.playing, direct.playing);
}

#[test]
fn play_pressed_before_the_interpreter_arrives_plays_once_it_has() {
    let mut state = opened_loading(lesson_url(LessonId::Echo));
    state = state.reduce(Action::TogglePlay);
    assert!(state.playing, "the button is on at once");
    state = state.reduce(Action::Tick(1000));
    assert_eq!(state.run.borrow().current_step(), 0, "its ticks wait");
    state = state.reduce(Action::InterpreterLoaded(true));
    state = state.reduce(Action::Tick(1000));
    assert!(state.run.borrow().current_step() > 0);
}

#[test]
fn before_the_interpreter_arrives_what_only_changes_the_view_is_done_at_once() {
    let mut state = opened_loading(lesson_url(LessonId::Echo));
    state = state.reduce(Action::SetSpeed(Speed::Fastest));
    state = state.reduce(Action::ToggleIntro);
    state = state.reduce(Action::SetLang(Lang::Zh));
    state = state.reduce(Action::SelectLesson(LessonId::MultiClient));
    assert_eq!(state.speed, Speed::Fastest);
    assert!(state.intro_open);
    assert_eq!(state.lang, Lang::Zh);
    assert_eq!(state.lesson, LessonId::MultiClient);
    assert!(state.waiting.is_empty());
    assert_eq!(state.interpreter, Interpreter::Loading);
}

#[test]
fn a_link_to_a_step_waits_for_the_interpreter_then_opens_at_that_step_and_view() {
    let url = UrlState {
        lesson: Some(LessonId::Http),
        step: Some(60),
        request: Some(1),
        ..UrlState::default()
    };
    let waiting = opened_loading(url.clone());
    assert_eq!(waiting.run.borrow().current_step(), 0);
    assert!(waiting
        .pending
        .as_ref()
        .is_some_and(|p| p.code.is_none() && p.step == 60));
    let arrived = waiting.reduce(Action::InterpreterLoaded(true));
    assert!(arrived.pending.is_none());
    let direct = State::new(url, Some(Lang::En));
    assert_eq!(arrived.run.borrow().current_step(), 60);
    assert_eq!(arrived.run.borrow().world(), direct.run.borrow().world());
    assert_eq!(
        arrived.request,
        Some(1),
        "the link's selected request is kept"
    );
    assert_eq!(arrived.request, direct.request);
}

#[test]
fn an_interpreter_that_cannot_be_fetched_is_said_and_nothing_runs_or_breaks() {
    let mut state = opened_loading(lesson_url(LessonId::Echo));
    state = state.reduce(Action::Step);
    state = state.reduce(Action::TogglePlay);
    state = state.reduce(Action::InterpreterLoaded(false));
    assert_eq!(state.interpreter, Interpreter::Failed);
    assert!(state.waiting.is_empty());
    assert!(!state.playing);
    for a in [
        Action::Step,
        Action::Seek(5),
        Action::Measure,
        Action::Tick(500),
        Action::TogglePlay,
    ] {
        state = state.reduce(a);
    }
    assert_eq!(state.run.borrow().current_step(), 0);
    assert!(!state.playing, "play stays off: nothing could play");
    assert!(
        state.waiting.is_empty(),
        "nothing is kept for a module that will not come"
    );
    // The view still answers.
    state = state.reduce(Action::SetSpeed(Speed::Slow));
    assert_eq!(state.speed, Speed::Slow);
}
