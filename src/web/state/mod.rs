//! The app state and the actions that change it (the reducer pattern of
//! Yew's `function_todomvc` example). Components dispatch [`Action`]s; only
//! [`State::reduce`](yew::Reducible::reduce) changes the state.
//!
//! The simulation itself is a [`Run`]: the lesson, its seed, the learner's
//! programs and actions, with snapshots for stepping back. The reducer
//! drives it; it never decides anything about TCP.
//!
//! Playing goes at a reading pace: one step of the simulation at a time,
//! each shown for as long as its narration takes to read (shorter at a
//! higher speed). While a step is shown, the *display* clock moves from the
//! step's time towards the next event's, so a segment can be drawn part of
//! the way along the wire; the time the controls print is always the
//! simulation's own, the same whether a step was reached by playing,
//! stepping or a link.

use super::i18n::Lang;
use super::query::{EditedCode, UrlState};
use crate::echo::TextEncoding;
use crate::sim::{Instant, LessonId, Run, Setup, ThreadId};
use crate::text::Text;

mod action;
mod learner;
mod link;
mod play;
mod quiz;
#[cfg(test)]
mod tests;
mod types;

pub use action::Action;
pub use learner::{Goal, GoalKind, Note, NoteStatus};
pub use link::{Pending, MAX_LINK_STEP};
pub use play::{reading_ms, Dwell, MEASURE_LIMIT};
pub use quiz::{Quiz, Reply};
pub use types::{
    ByteDisplay, ByteMark, CategoryKey, CategorySet, NetTab, Overlay, RunHandle, Speed, Theme,
};

/// How many of the newest events the event list shows at first, and how
/// many more each "Show older events" adds.
pub const EVENT_PAGE: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub embed: bool,
    pub theme: Theme,
    /// Parts of the link that were not understood, shown until dismissed.
    pub problems: Vec<String>,
    /// The link's actions that the world refused while the run was
    /// replayed (a link from an older version can ask for an action at a
    /// step where it no longer applies), each with why; shown with the
    /// problems until dismissed.
    pub refused: Vec<Text<String>>,
    pub lesson: LessonId,
    pub seed: u64,
    /// The simulation run.
    pub run: RunHandle,
    /// The display clock: `run.world().now()`, or on the way to the next
    /// event while a step is shown during play.
    pub clock: Instant,
    pub playing: bool,
    pub speed: Speed,
    pub display: ByteDisplay,
    pub decode: TextEncoding,
    /// The learner chose how to decode; until then it follows the program.
    pub decode_chosen: bool,
    pub hidden: CategorySet,
    pub selected_event: Option<usize>,
    pub selected_segment: Option<u64>,
    pub overlay: Option<Overlay>,
    pub reduced_motion: bool,
    /// The step the run comes to rest at, with the actions recorded so far
    /// (the timeline's end); `None` until measured.
    pub total: Option<u64>,
    /// The run had not come to rest by [`MEASURE_LIMIT`] steps.
    pub total_open: bool,
    /// The furthest step this run has reached.
    pub horizon: u64,
    /// Bytes highlighted because the learner clicked an HTTP header.
    pub mark: Option<ByteMark>,
    /// How many of the newest events the event list shows.
    pub event_limit: usize,
    /// How long the current step is shown while playing.
    pub dwell: Dwell,
    /// A learner's action being played until its effect shows.
    pub goal: Option<Goal>,
    pub note: Option<Note>,
    /// The Network panel's selected request (its id) and tab.
    pub request: Option<usize>,
    pub tab: NetTab,
    /// The thread whose lane, socket and cursor the pointer is over.
    pub hover: Option<ThreadId>,
    pub intro_open: bool,
    /// The edited programs as the link carries them (base64url of
    /// deflate-raw), once compressed.
    pub code_link: Option<String>,
    pub pending: Option<Pending>,
    /// Whether the Python interpreter has arrived (the split build fetches
    /// it after the first screen; see `sim::python::engine`).
    pub interpreter: Interpreter,
    /// What the learner asked for before it arrived, to do once it has.
    pub waiting: Vec<Action>,
    /// This lesson was opened by Back or Forward: its address is already
    /// in the browser's history.
    pub from_history: bool,
    /// The lesson's checkpoints: on or off, the replies, the one asked now.
    pub quiz: Quiz,
}

/// Whether the Python interpreter can run yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpreter {
    /// Its module is on its way: nothing that runs a program is done yet.
    Loading,
    Ready,
    /// Its module could not be fetched: the page says so.
    Failed,
}

impl Interpreter {
    /// Linked in, or already fetched: ready. Otherwise on its way.
    pub fn now() -> Interpreter {
        if crate::sim::python::engine::loaded().is_some() {
            Interpreter::Ready
        } else {
            Interpreter::Loading
        }
    }
}

/// The encoding a program declares: `ENCODING = "utf-8"`, or the first
/// `.encode("…")` / `.decode("…")` it calls with a name.
pub fn program_encoding(source: &str) -> Option<TextEncoding> {
    for line in source.lines() {
        let code = line.split('#').next().unwrap_or("");
        let declared = code.trim_start().starts_with("ENCODING")
            || code.contains(".encode(")
            || code.contains(".decode(");
        if !declared {
            continue;
        }
        for quoted in code.split(['"', '\'']).skip(1).step_by(2) {
            if let Ok(e) = quoted.parse::<TextEncoding>() {
                return Some(e);
            }
        }
        // Python 3's default: `.encode()` is UTF-8.
        if code.contains(".encode()") || code.contains(".decode()") {
            return Some(TextEncoding::Utf8);
        }
    }
    None
}

impl State {
    /// The first state, from the URL and the browser's language. Whatever
    /// the URL says, this returns a working state; what it could not use is
    /// in `problems`.
    pub fn new(url: UrlState, browser_lang: Option<Lang>) -> State {
        State::with_interpreter(url, browser_lang, Interpreter::now())
    }

    /// As [`State::new`], the interpreter as given (ready, or on its way).
    pub fn with_interpreter(
        url: UrlState,
        browser_lang: Option<Lang>,
        interpreter: Interpreter,
    ) -> State {
        let lesson = url.lesson.unwrap_or(LessonId::Echo);
        let seed = url.seed.unwrap_or(lesson.info().default_seed);
        // A link's step is clamped: a run cannot be replayed further than it goes.
        let step = url.step.unwrap_or(0).min(MAX_LINK_STEP);
        let lang = url.lang.or(browser_lang).unwrap_or_default();
        let setup = Setup::new(lesson, seed).in_lang(lang);
        // A link with edited programs waits for them before replaying, and
        // a link that replays anything waits for the interpreter: its
        // programs are the lesson's, known already, and their CodeLoaded
        // waits with what else runs a program.
        let replays = step > 0 || !url.actions.is_empty();
        let waits = replays && interpreter != Interpreter::Ready;
        let mut waiting = Vec::new();
        if waits && url.code.is_none() {
            waiting.push(Action::CodeLoaded(Some(EditedCode::default())));
        }
        let (run, pending) = if url.code.is_some() || waits {
            let pending = Pending {
                code: url.code.clone(),
                actions: url.actions,
                step,
            };
            (Run::start(setup), Some(pending))
        } else {
            (Run::replay(setup, url.actions, step), None)
        };
        let mut state = State {
            lang,
            embed: url.embed,
            theme: Theme::Auto,
            problems: url.problems,
            refused: vec![],
            lesson,
            seed,
            clock: run.world().now(),
            run: RunHandle::new(run),
            playing: false,
            speed: url.speed.unwrap_or(Speed::Normal),
            display: url.display.unwrap_or_default(),
            decode: url.decode.unwrap_or_default(),
            decode_chosen: url.decode.is_some(),
            hidden: CategorySet::default(),
            selected_event: None,
            selected_segment: None,
            overlay: None,
            reduced_motion: false,
            total: None,
            total_open: false,
            horizon: 0,
            mark: None,
            event_limit: EVENT_PAGE,
            dwell: Dwell::default(),
            goal: None,
            note: None,
            request: url.request,
            tab: url.tab.unwrap_or_default(),
            hover: None,
            intro_open: false,
            code_link: url.code,
            pending,
            interpreter,
            waiting,
            from_history: false,
            quiz: Quiz {
                on: !url.quiz_off,
                replies: url.replies,
                asking: None,
                shown: None,
            },
        };
        state
            .quiz
            .replies
            .resize(lesson.info().checkpoints.len(), None);
        state.refused = link::refused(&state.run.borrow());
        state.touched();
        state
    }

    /// Something the learner asked for waits for the interpreter to arrive
    /// (play, or what is queued): the controls say so.
    pub fn waiting_for_python(&self) -> bool {
        self.interpreter == Interpreter::Loading && (self.playing || !self.waiting.is_empty())
    }

    fn touched(&mut self) {
        self.run.touch();
        let run = self.run.borrow();
        self.clock = run.world().now();
        self.horizon = self.horizon.max(run.current_step());
        let program = run
            .world()
            .hosts()
            .first()
            .and_then(|h| h.code.as_ref())
            .and_then(|c| program_encoding(&c.source));
        drop(run);
        self.dwell.set(0, 0);
        if !self.decode_chosen {
            // The web server sends UTF-8 pages (its Content-Type says so).
            let web = self
                .lesson
                .info()
                .panels
                .browser
                .then_some(TextEncoding::Utf8);
            self.decode = program.or(web).unwrap_or_default();
        }
    }

    /// A new run, with the lesson's or the learner's programs.
    fn start(&mut self, setup: Setup) {
        self.lesson = setup.lesson;
        self.seed = setup.seed;
        self.run = RunHandle::new(Run::start(setup));
        self.fresh_run();
    }

    fn fresh_run(&mut self) {
        self.horizon = 0;
        self.total = None;
        self.mark = None;
        self.playing = false;
        self.selected_event = None;
        self.selected_segment = None;
        self.event_limit = EVENT_PAGE;
        self.goal = None;
        self.note = None;
        self.request = None;
        self.hover = None;
        // A new run asks its questions again.
        self.quiz.replies = vec![None; self.lesson.info().checkpoints.len()];
        self.quiz.asking = None;
        self.quiz.shown = None;
        self.touched();
    }

    fn load(&mut self, lesson: LessonId, seed: u64) {
        self.code_link = None;
        self.pending = None;
        self.start(Setup::new(lesson, seed).in_lang(self.lang));
    }
}
