//! A recorded run: lesson, seed and the learner's actions, with snapshots so
//! the UI can step back and scrub the timeline.
//!
//! # Driving a run from a UI tick
//!
//! ```
//! use sockscope::sim::{Run, LessonId, Action};
//! let mut run = Run::new(LessonId::Sandbox, 1);
//! run.apply(Action::AddClient);            // recorded at the current step
//! for _ in 0..100 { if !run.step() { break } }
//! let here = run.current_step();
//! run.seek(here / 2);                      // restore a snapshot, replay
//! run.step_back();
//! for e in run.events_at(run.current_step()) { let _ = e.narration(sockscope::sim::Lang::Zh); }
//! ```
//!
//! State at step `s` means: `s` world steps have run, and every action
//! recorded at `s` has been applied. Stepping forward from a seek replays the
//! recorded actions; applying a new action discards those recorded later.

use super::event::{Event, EventKind, HostId};
use super::lessons::code::Script;
use super::lessons::LessonId;
use super::time::{Duration, Instant};
use super::world::{ClientSpec, World, WorldConfig};
use super::Action;
use crate::text::Lang;
use serde::{Deserialize, Serialize};

/// How many steps a run takes before it pauses, unless extended: a
/// lesson needs a few hundred; a busy loop would need for ever.
pub const STEP_BUDGET: u64 = 50_000;

/// How often a snapshot is kept (in steps).
pub const SNAPSHOT_INTERVAL: u64 = 256;

/// An action and the step it was applied at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub step: u64,
    pub action: Action,
    /// The world had nothing left to do when the action came: before
    /// replaying it, let the world finish its silent tail (timers that fire
    /// without effect) exactly as it had.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub settled: bool,
}

/// What a run starts from: the lesson, its seed, the language its
/// programs are written in, and the programs the learner edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub lesson: LessonId,
    pub seed: u64,
    pub lang: Lang,
    /// The learner's own server program, in place of the lesson's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<Script>,
    /// The learner's own client program, in place of the lesson's (every
    /// client of the lesson runs it; in a lesson without clients, every
    /// client the learner adds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<Script>,
    /// Client hosts running these programs, one each, in place of the
    /// lesson's clients (`sockscope sim --client FILE.py`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<Script>,
    /// The network loses this percent of segments (on top of any loss the
    /// lesson plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss: Option<u8>,
    /// The wire's one-way delay, in place of the lesson's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u32>,
}

impl Setup {
    /// The lesson as written, in English.
    pub fn new(lesson: LessonId, seed: u64) -> Setup {
        Setup {
            lesson,
            seed,
            lang: Lang::En,
            server: None,
            client: None,
            clients: vec![],
            loss: None,
            delay_ms: None,
        }
    }

    /// The same, with the programs in `lang`.
    pub fn in_lang(self, lang: Lang) -> Setup {
        Setup { lang, ..self }
    }

    /// The world this setup runs.
    pub fn config(&self) -> WorldConfig {
        let mut config = self.lesson.config(self.seed, self.lang);
        if let Some(script) = &self.server {
            config.server.script = script.clone();
        }
        if let Some(script) = &self.client {
            if config.clients.is_empty() {
                config.added_client.script = script.clone();
            }
            for c in config.clients.iter_mut() {
                c.script = script.clone();
            }
        }
        if let Some(percent) = self.loss {
            config.loss.percent = percent.min(100);
        }
        if let Some(ms) = self.delay_ms {
            config.latency = Duration::from_millis(u64::from(ms.max(1)));
        }
        if !self.clients.is_empty() {
            config.clients = (0..)
                .zip(&self.clients)
                .map(|(n, script)| {
                    let start = Instant::from_millis(1 + n);
                    ClientSpec::python(script.clone(), start)
                })
                .collect();
        }
        config
    }
}

#[derive(Debug, Clone)]
struct Snapshot {
    step: u64,
    world: World,
}

/// A run of a lesson. Same lesson, seed and recorded actions: same log.
#[derive(Debug, Clone)]
pub struct Run {
    setup: Setup,
    world: World,
    /// Every event of the furthest step computed so far. After a seek back
    /// it runs ahead of the current step; [`Run::log`] shows the part up to
    /// the current step. Replaying a known step checks nothing in and
    /// discards the world's (identical) events.
    log: Vec<Event>,
    /// `marks[s]` = log length at the end of step `s` (after its actions).
    marks: Vec<usize>,
    actions: Vec<Recorded>,
    snapshots: Vec<Snapshot>,
    interval: u64,
    /// The step the run pauses at (see [`Run::budget_reached`]).
    budget: u64,
    /// The step at which `World::step` last answered "nothing more" (it may
    /// have let silent timers expire on the way): a seek to that step does
    /// the same, so the world is identical.
    settled_at: Option<u64>,
}

impl Run {
    /// A run of the lesson as written, its programs in English.
    pub fn new(lesson: LessonId, seed: u64) -> Run {
        Run::start(Setup::new(lesson, seed))
    }

    pub fn start(setup: Setup) -> Run {
        Run::with_snapshot_interval(setup, SNAPSHOT_INTERVAL)
    }

    /// A run that keeps a snapshot every `interval` steps (more memory,
    /// faster seeks, or the other way round).
    pub fn with_snapshot_interval(setup: Setup, interval: u64) -> Run {
        let world = World::new(setup.config());
        let snapshots = vec![Snapshot {
            step: 0,
            world: world.clone(),
        }];
        Run {
            setup,
            world,
            log: vec![],
            marks: vec![0],
            actions: vec![],
            snapshots,
            interval: interval.max(1),
            budget: STEP_BUDGET,
            settled_at: None,
        }
    }

    /// Rebuilds a run from its recording (e.g. a share URL) and plays it up
    /// to `step`.
    pub fn replay(setup: Setup, actions: Vec<Recorded>, step: u64) -> Run {
        let mut run = Run::start(setup);
        if actions.is_empty() && step == 0 {
            // Nothing to replay, and every lesson has something to do at
            // step 0, so settling would change nothing (a test checks it).
            return run;
        }
        run.actions = actions;
        run.actions.sort_by_key(|r| r.step);
        run.budget = run.budget.max(step);
        run.apply_recorded_at(0, false);
        run.marks[0] = run.log.len();
        run.seek(step);
        run.settle();
        run
    }

    /// If nothing observable is left to happen, lets the world expire its
    /// silent timers now (as `step()` returning `false` would), so that two
    /// runs that reached the same end compare equal. Otherwise changes nothing.
    pub fn settle(&mut self) {
        let mut probe = self.world.clone();
        if !probe.step() {
            self.world = probe;
            self.settled_at = Some(self.current_step());
        }
    }

    pub fn lesson(&self) -> LessonId {
        self.setup.lesson
    }
    pub fn seed(&self) -> u64 {
        self.setup.seed
    }
    /// What the run started from.
    pub fn setup(&self) -> &Setup {
        &self.setup
    }
    /// The recorded actions, by step.
    pub fn actions(&self) -> &[Recorded] {
        &self.actions
    }
    /// The world at the current step: read the views from it.
    pub fn world(&self) -> &World {
        &self.world
    }
    pub fn current_step(&self) -> u64 {
        self.world.step_count()
    }
    /// Every event up to the current step.
    pub fn log(&self) -> &[Event] {
        &self.log[..self.marks[self.current_step() as usize]]
    }
    /// The events of one step (empty if it has not run).
    pub fn events_at(&self, step: u64) -> &[Event] {
        let s = step as usize;
        if step > self.current_step() {
            return &[];
        }
        let start = if s == 0 { 0 } else { self.marks[s - 1] };
        &self.log[start..self.marks[s]]
    }
    /// The first step whose events include log entry `index` (for "click an
    /// event to jump there").
    pub fn step_of_event(&self, index: usize) -> u64 {
        self.marks.partition_point(|&m| m <= index) as u64
    }
    pub fn is_finished(&self) -> bool {
        self.world.is_finished()
    }
    /// The lines a host's terminal shows so far.
    pub fn console(&self, host: HostId) -> Vec<&str> {
        self.log()
            .iter()
            .filter(|e| e.host == Some(host))
            .filter_map(|e| match &e.kind {
                EventKind::Console { line, .. } => Some(line.as_str()),
                _ => None,
            })
            .collect()
    }

    fn take_events(&mut self, known: bool) {
        if known {
            self.world.discard_events();
        } else {
            self.world.drain_events_into(&mut self.log);
        }
    }

    fn apply_recorded_at(&mut self, step: u64, known: bool) {
        let start = self.actions.partition_point(|r| r.step < step);
        let end = self.actions.partition_point(|r| r.step <= step);
        for i in start..end {
            if self.actions[i].settled {
                // Expire the silent timers the world had expired before this
                // action came. A recording from outside (a share link) may
                // claim `settled` wrongly: then the world has events left,
                // the probe is dropped and the flag changes nothing.
                let mut probe = self.world.clone();
                if !probe.step() {
                    self.world = probe;
                }
            }
            let action = self.actions[i].action.clone();
            self.world.handle_action(&action);
        }
        self.take_events(known);
    }

    /// Runs one step. `false` if nothing more happens without an action,
    /// or if the run has used its step budget ([`Run::budget_reached`]).
    pub fn step(&mut self) -> bool {
        if self.budget_reached() {
            return false;
        }
        if !self.world.step() {
            self.settled_at = Some(self.current_step());
            return false;
        }
        let s = self.world.step_count();
        let known = (s as usize) < self.marks.len();
        self.take_events(known);
        if s.is_multiple_of(self.interval) {
            if let Err(at) = self.snapshots.binary_search_by_key(&s, |snap| snap.step) {
                self.snapshots.insert(
                    at,
                    Snapshot {
                        step: s,
                        world: self.world.clone(),
                    },
                );
            }
        }
        self.apply_recorded_at(s, known);
        if !known {
            self.marks.push(self.log.len());
        }
        true
    }

    /// The run has taken [`STEP_BUDGET`] steps (or what
    /// [`Run::extend_budget`] allowed) without coming to rest: it pauses
    /// there instead of running on for ever. A program with a thread that
    /// never blocks (a busy loop) gets here.
    pub fn budget_reached(&self) -> bool {
        self.current_step() >= self.budget
    }

    /// Lets a paused run take [`STEP_BUDGET`] more steps.
    pub fn extend_budget(&mut self) {
        self.budget = self.budget.max(self.current_step()) + STEP_BUDGET;
    }

    /// Steps until finished or `max_steps` more steps have run; returns how many ran.
    pub fn play(&mut self, max_steps: u64) -> u64 {
        let mut n = 0;
        while n < max_steps && self.step() {
            n += 1;
        }
        n
    }

    /// Applies a learner's action at the current step and records it. Any
    /// actions recorded after this step belonged to another future: they go.
    pub fn apply(&mut self, action: Action) {
        let s = self.current_step();
        self.log.truncate(self.marks[s as usize]);
        self.marks.truncate(s as usize + 1);
        self.actions.retain(|r| r.step <= s);
        self.snapshots.retain(|snap| snap.step <= s);
        let settled = self.world.is_finished();
        self.settled_at = None;
        self.world.handle_action(&action);
        self.world.drain_events_into(&mut self.log);
        self.actions.push(Recorded {
            step: s,
            action,
            settled,
        });
        self.marks[s as usize] = self.log.len();
    }

    /// Goes to `step` by restoring the nearest snapshot at or before it (when
    /// that is closer than the current step) and replaying from there. Stops early if the run ends first.
    pub fn seek(&mut self, step: u64) {
        let i = self.snapshots.partition_point(|snap| snap.step <= step) - 1;
        // Backward, or far enough forward that a kept snapshot is closer.
        if step < self.current_step() || self.snapshots[i].step > self.current_step() {
            let snap = &self.snapshots[i];
            self.world = snap.world.clone();
            let s = snap.step;
            self.apply_recorded_at(s, true);
        }
        while self.current_step() < step && self.step() {}
        if self.settled_at == Some(self.current_step()) {
            self.world.step();
        }
    }

    /// One step back.
    pub fn step_back(&mut self) {
        let s = self.current_step();
        if s > 0 {
            self.seek(s - 1);
        }
    }
}

/// The reference run the benchmarks measure, natively and in WebAssembly:
/// the sandbox with eight interactive clients sending and reading messages
/// until the log holds at least `min_events` events, then played to its end.
/// Deterministic: always the same run.
pub fn reference_run(min_events: usize) -> Run {
    reference_run_on(Setup::new(LessonId::Sandbox, 1), min_events)
}

/// The same, on another network (a loss rate, a delay): `setup` is the
/// sandbox's.
pub fn reference_run_on(setup: Setup, min_events: usize) -> Run {
    let mut run = Run::start(setup);
    for _ in 0..8 {
        run.apply(Action::AddClient);
    }
    let mut round = 0u32;
    while run.log().len() < min_events {
        for c in 1..=8u8 {
            run.apply(Action::Send {
                client: c,
                text: format!("消息 {round} from {c}"),
            });
            run.apply(Action::RecvNow { client: c });
        }
        if run.budget_reached() {
            run.extend_budget();
        }
        run.play(400);
        round += 1;
    }
    while !run.is_finished() {
        run.extend_budget();
        run.play(1_000_000);
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(events: &[Event]) -> String {
        serde_json::to_string(events).unwrap()
    }

    #[test]
    fn same_inputs_give_a_byte_identical_log() {
        for lesson in LessonId::ALL {
            let mut a = Run::new(lesson, 42);
            let mut b = Run::new(lesson, 42);
            a.play(100_000);
            b.play(100_000);
            assert_eq!(json(a.log()), json(b.log()), "{lesson:?}");
        }
    }

    #[test]
    fn a_different_seed_changes_ports_and_sequence_numbers() {
        let mut a = Run::new(LessonId::Echo, 1);
        let mut b = Run::new(LessonId::Echo, 2);
        a.play(100_000);
        b.play(100_000);
        assert_ne!(json(a.log()), json(b.log()));
        assert_eq!(a.console(HostId(0)).len(), b.console(HostId(0)).len());
    }

    #[test]
    fn no_lesson_is_settled_at_its_start() {
        // What lets `replay` skip settling a run with nothing to replay.
        for lesson in LessonId::ALL {
            let new = Run::new(lesson, lesson.info().default_seed);
            let mut settled = new.clone();
            settled.settle();
            assert_eq!(settled.world(), new.world(), "{lesson:?}");
            assert_eq!(settled.settled_at, None, "{lesson:?}");
        }
    }

    #[test]
    fn seek_back_and_forward_reproduces_world_and_log() {
        let mut run = Run::with_snapshot_interval(Setup::new(LessonId::MultiClient, 3), 16);
        run.play(100_000);
        let end = run.current_step();
        assert!(end > 100);
        let full_log = json(run.log());
        let world_at_end = run.world().clone();
        for target in [0, 1, end / 3, 16, 17, 31, 32, end - 1] {
            run.seek(target);
            assert_eq!(run.current_step(), target);
            let mut fresh = Run::new(LessonId::MultiClient, 3);
            fresh.seek(target);
            assert_eq!(run.world(), fresh.world(), "world at step {target}");
            assert_eq!(json(run.log()), json(fresh.log()));
            run.seek(end);
        }
        assert_eq!(run.world(), &world_at_end);
        assert_eq!(json(run.log()), full_log);
    }

    #[test]
    fn actions_are_replayed_after_a_seek_and_a_new_action_discards_the_old_future() {
        let mut run = Run::new(LessonId::Sandbox, 1);
        run.play(1000);
        run.apply(Action::AddClient);
        run.play(30);
        run.apply(Action::Send {
            client: 1,
            text: "hi".into(),
        });
        run.play(1000);
        let end = run.current_step();
        let log = json(run.log());
        run.seek(3);
        run.seek(end);
        assert_eq!(
            json(run.log()),
            log,
            "recorded actions replay on the way forward"
        );
        run.seek(end - 5);
        run.apply(Action::Close { client: 1 });
        assert_eq!(run.actions().len(), 3);
        let replayed = Run::replay(
            Setup::new(LessonId::Sandbox, 1),
            run.actions().to_vec(),
            run.current_step(),
        );
        assert_eq!(json(replayed.log()), json(run.log()));
    }

    #[test]
    fn a_run_that_never_rests_pauses_at_its_budget() {
        let mut setup = Setup::new(LessonId::Sandbox, 1);
        setup.server = Some(Script {
            file: "spin.py".into(),
            source: "n = 0\nwhile True:\n    n += 1\n".into(),
        });
        let mut run = Run::start(setup);
        assert_eq!(run.play(u64::MAX), STEP_BUDGET);
        assert!(run.budget_reached() && !run.is_finished());
        assert!(!run.step(), "paused");
        run.extend_budget();
        assert_eq!(run.play(10), 10, "goes on when extended");
        // A replayed link may go past the budget.
        let again = Run::replay(run.setup().clone(), vec![], run.current_step());
        assert_eq!(again.current_step(), run.current_step());
    }

    #[test]
    fn events_at_and_step_of_event_agree() {
        let mut run = Run::new(LessonId::Echo, 7);
        run.play(50);
        for s in 1..=run.current_step() {
            for e in run.events_at(s) {
                assert_eq!(e.step, s);
            }
        }
        let i = run.log().len() / 2;
        assert_eq!(run.log()[i].step, run.step_of_event(i));
    }
}
