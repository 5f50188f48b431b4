//! The actions components dispatch, and the reducer that applies them.

use super::{
    ByteDisplay, ByteMark, Interpreter, NetTab, Overlay, Reply, RunHandle, Speed, State, Theme,
    EVENT_PAGE,
};
use crate::echo::TextEncoding;
use crate::sim::lessons::code::Script;
use crate::sim::{self, Category, LessonId, Run, Setup, ThreadId};
use crate::web::i18n::Lang;
use crate::web::query::{EditedCode, UrlState};
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    SetTheme(Theme),
    DismissProblems,
    /// Real time passed (milliseconds since the last tick).
    Tick(u64),
    TogglePlay,
    Step,
    StepBack,
    Seek(u64),
    Reset,
    SetSpeed(Speed),
    SelectLesson(LessonId),
    /// Something the learner does inside the simulation.
    Learner(sim::Action),
    SetDisplay(ByteDisplay),
    SetDecode(TextEncoding),
    ToggleCategory(Category),
    /// Jump to the moment of an event in the log.
    JumpToEvent(usize),
    SelectSegment(Option<u64>),
    ShowOverlay(Option<Overlay>),
    Mark(Option<ByteMark>),
    /// The event list shows another page of older events.
    ShowMoreEvents,
    /// Find the timeline's end.
    Measure,
    /// A new run with these programs (`None`: the lesson's own).
    RunCode {
        server: Option<Script>,
        client: Option<Script>,
    },
    /// A new run with one program the learner's (`None`: the lesson's
    /// again), the other as it was.
    RunOne {
        server: bool,
        source: Option<String>,
    },
    /// A link's programs, decompressed (or not: `None`).
    CodeLoaded(Option<EditedCode>),
    /// The edited programs, compressed for the link.
    CodeCompressed(String),
    SelectRequest(Option<usize>),
    SetTab(NetTab),
    Hover(Option<ThreadId>),
    ToggleIntro,
    DismissNote,
    /// The browser went back (or forward) to another address of the app.
    LoadUrl(UrlState),
    /// The learner picked a choice of a checkpoint's question: the run goes on.
    Answer {
        checkpoint: usize,
        choice: usize,
    },
    /// The learner skipped the question asked now.
    PassQuestion,
    /// Close the checkpoint's card.
    DismissQuiz,
    /// The interpreter's module arrived (`true`), or could not be fetched.
    InterpreterLoaded(bool),
}

impl Action {
    /// Whether doing this now could run a program, which needs the
    /// interpreter. Starting a run, or a replay to step 0 with nothing to
    /// replay, does not (no program has taken a step yet).
    fn runs_programs(&self, state: &State) -> bool {
        match self {
            Action::Step
            | Action::StepBack
            | Action::Seek(_)
            | Action::Learner(_)
            | Action::JumpToEvent(_)
            | Action::Measure
            | Action::CodeLoaded(_) => true,
            Action::SetLang(_) => {
                let run = state.run.borrow();
                run.current_step() > 0 || !run.actions().is_empty()
            }
            _ => false,
        }
    }

    /// Whether this changes the run or whether it plays: done after what
    /// is waiting for the interpreter, never before it.
    fn touches_run(&self) -> bool {
        matches!(
            self,
            Action::TogglePlay
                | Action::Reset
                | Action::SelectLesson(_)
                | Action::RunCode { .. }
                | Action::RunOne { .. }
                | Action::LoadUrl(_)
                | Action::Answer { .. }
                | Action::PassQuestion
                | Action::SetLang(_)
        )
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if self.interpreter != Interpreter::Ready {
            // Play's ticks do nothing; what would run a program is done once
            // the interpreter is there, in the order asked. If it will not
            // come, neither is done, and play stays off.
            let waits =
                action.runs_programs(&self) || (action.touches_run() && !self.waiting.is_empty());
            match (self.interpreter, &action) {
                (_, Action::Tick(_)) | (Interpreter::Failed, Action::TogglePlay) => return self,
                (Interpreter::Failed, _) if waits => return self,
                (_, _) if waits => {
                    let mut next = (*self).clone();
                    next.waiting.push(action);
                    return Rc::new(next);
                }
                _ => {}
            }
        }
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => {
                // The programs are written in the learner's language: the
                // run is made again in the other one, up to the same step.
                // (The learner's own programs stay as they wrote them.)
                next.lang = lang;
                let (setup, actions, step) = {
                    let run = next.run.borrow();
                    (
                        run.setup().clone(),
                        run.actions().to_vec(),
                        run.current_step(),
                    )
                };
                next.run = RunHandle::new(Run::replay(setup.in_lang(lang), actions, step));
                next.total = None;
                next.touched();
            }
            Action::SetTheme(theme) => next.theme = theme,
            Action::DismissProblems => {
                next.problems.clear();
                next.refused.clear();
            }
            Action::Tick(ms) => {
                if !next.playing {
                    return self;
                }
                let before = next.run.rev();
                next.tick(ms);
                // Between steps only the segments on the wire move: with
                // none there, nothing on screen changes, and the screen is
                // not drawn again (the time left is kept in `dwell`).
                let idle = next.run.rev() == before
                    && next.playing
                    && next.run.borrow().world().in_flight().is_empty();
                if idle {
                    return self;
                }
            }
            Action::TogglePlay => {
                if let Some(i) = next.quiz.asking.take() {
                    next.pass(i);
                }
                // A run paused at its step budget (a thread that never
                // blocks) goes on for another budget when asked to.
                if !next.playing && next.run.borrow().budget_reached() {
                    next.run.borrow_mut().extend_budget();
                    next.run.touch();
                }
                let run = next.run.borrow();
                let can = !run.is_finished() && !run.budget_reached();
                drop(run);
                next.playing = !next.playing && can;
                next.dwell.set(0, 0);
                if !next.playing {
                    next.goal_stopped();
                }
            }
            Action::Step => {
                next.playing = false;
                next.step();
                if next.goal.is_some() && next.run.borrow().is_finished() {
                    next.goal_stopped();
                }
            }
            Action::StepBack => {
                next.quiz.asking = None;
                next.playing = false;
                next.goal_stopped();
                let at = next.run.borrow().current_step();
                next.seek(at.saturating_sub(1));
            }
            Action::Seek(step) => {
                next.quiz.asking = None;
                next.playing = false;
                next.goal_stopped();
                next.seek(step);
            }
            Action::Reset => {
                let setup = next.run.borrow().setup().clone();
                next.start(setup);
            }
            Action::SetSpeed(speed) => next.speed = speed,
            Action::SelectLesson(lesson) => {
                if lesson != next.lesson || next.run.borrow().setup().server.is_some() {
                    next.from_history = false;
                    next.load(lesson, lesson.info().default_seed);
                }
            }
            Action::Learner(a) => next.learner(a),
            Action::SetDisplay(d) => next.display = d,
            Action::SetDecode(e) => {
                next.decode = e;
                next.decode_chosen = true;
            }
            Action::ToggleCategory(c) => {
                next.hidden.toggle(c);
            }
            Action::JumpToEvent(index) => {
                let step = next.run.borrow().log().get(index).map(|e| e.step);
                if let Some(step) = step {
                    next.quiz.asking = None;
                    next.playing = false;
                    next.goal_stopped();
                    next.seek(step);
                    next.selected_event = Some(index);
                }
            }
            Action::SelectSegment(s) => next.selected_segment = s,
            Action::ShowOverlay(o) => next.overlay = o,
            Action::Mark(m) => next.mark = m,
            Action::ShowMoreEvents => next.event_limit += EVENT_PAGE,
            Action::Measure => {
                if next.total.is_some() {
                    return self;
                }
                next.measure();
            }
            Action::RunCode { server, client } => {
                let setup = Setup {
                    server,
                    client,
                    ..next.run.borrow().setup().clone()
                };
                next.code_link = None;
                next.pending = None;
                next.start(setup);
                next.playing = true;
            }
            Action::RunOne { server, source } => {
                let file = if server { "server.py" } else { "client.py" };
                let script = source.map(|source| Script {
                    file: file.into(),
                    source,
                });
                let mut setup = next.run.borrow().setup().clone();
                if server {
                    setup.server = script;
                } else {
                    setup.client = script;
                }
                next.code_link = None;
                next.pending = None;
                next.start(setup);
                next.playing = true;
            }
            Action::CodeLoaded(code) => {
                let Some(pending) = next.pending.take() else {
                    return self;
                };
                match code {
                    Some(code) => next.replay(code, pending.actions, pending.step),
                    None => {
                        next.problems.push("code=…".into());
                        next.code_link = None;
                        next.replay(EditedCode::default(), pending.actions, pending.step);
                    }
                }
            }
            Action::CodeCompressed(b64) => next.code_link = Some(b64),
            Action::SelectRequest(r) => next.request = r,
            Action::SetTab(t) => next.tab = t,
            Action::Hover(t) => {
                if next.hover == t {
                    return self;
                }
                next.hover = t;
            }
            Action::ToggleIntro => next.intro_open = !next.intro_open,
            Action::DismissNote => next.note = None,
            Action::Answer { checkpoint, choice } => {
                let known = next
                    .lesson
                    .info()
                    .checkpoints
                    .get(checkpoint)
                    .is_some_and(|cp| choice < cp.choices.len());
                let slot = next.quiz.replies.get_mut(checkpoint);
                let Some(slot) = slot.filter(|_| known && self.quiz.asking == Some(checkpoint))
                else {
                    return self;
                };
                *slot = Some(Reply::Chose(choice));
                next.quiz.asking = None;
                next.quiz.shown = Some(checkpoint);
                // The run goes on to show what happens.
                let run = next.run.borrow();
                let can = !run.is_finished() && !run.budget_reached();
                drop(run);
                next.playing = can;
                next.dwell.set(0, 0);
            }
            Action::PassQuestion => {
                if let Some(i) = next.quiz.asking.take() {
                    next.pass(i);
                }
            }
            Action::DismissQuiz => next.quiz.shown = None,
            Action::InterpreterLoaded(ok) => {
                if self.interpreter == Interpreter::Ready {
                    return self;
                }
                if !ok {
                    next.interpreter = Interpreter::Failed;
                    next.waiting.clear();
                    next.playing = false;
                    return Rc::new(next);
                }
                next.interpreter = Interpreter::Ready;
                let waiting = std::mem::take(&mut next.waiting);
                return waiting
                    .into_iter()
                    .fold(Rc::new(next), |state, action| state.reduce(action));
            }
            Action::LoadUrl(url) => {
                let mut fresh = State::with_interpreter(url, Some(next.lang), next.interpreter);
                fresh.theme = next.theme;
                fresh.reduced_motion = next.reduced_motion;
                fresh.from_history = true;
                return Rc::new(fresh);
            }
        }
        Rc::new(next)
    }
}
