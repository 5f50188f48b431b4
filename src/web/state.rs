//! The app state and the actions that change it (the reducer pattern of
//! Yew's `function_todomvc` example). Components dispatch [`Action`]s; only
//! [`State::reduce`](yew::Reducible::reduce) changes the state.
//!
//! The simulation itself is a [`Run`]: the lesson, its seed and the learner's
//! actions, with snapshots for stepping back. The reducer drives it; it never
//! decides anything about TCP. The only clock here is the *display* clock,
//! which moves between two simulation events so a segment can be drawn part
//! of the way along the wire.

use super::i18n::Lang;
use super::query::UrlState;
use crate::echo::TextEncoding;
use crate::sim::net::SeqNumber;
use crate::sim::{self, Category, Duration, Instant, LessonId, Run, Setup};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// How many of the newest events the event list shows at first, and how
/// many more each "Show older events" adds.
pub const EVENT_PAGE: usize = 40;

/// Which bytes to highlight: a direction of the connection and a range of
/// sequence numbers in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteMark {
    /// true: browser → server (a request); false: server → browser.
    pub to_server: bool,
    pub start: SeqNumber,
    pub end: SeqNumber,
}

impl ByteMark {
    /// The part of the mark inside `len` bytes starting at sequence number
    /// `first` (a buffer's or a segment's bytes), as an index range.
    pub fn overlap(&self, first: SeqNumber, len: usize) -> Option<(usize, usize)> {
        let a = self.start.distance_from(first).max(0);
        let b = self.end.distance_from(first).min(len as i64);
        (a < b).then_some((a as usize, b as usize))
    }
}

/// The simulation run, shared (not copied) between successive states: its
/// log can be long. Two handles are equal when they hold the same run at the
/// same revision; every change to the run goes with [`RunHandle::touch`], so
/// Yew re-renders exactly when the run changed.
#[derive(Clone)]
pub struct RunHandle {
    run: Rc<RefCell<Run>>,
    rev: u64,
}

impl RunHandle {
    pub fn new(run: Run) -> RunHandle {
        RunHandle {
            run: Rc::new(RefCell::new(run)),
            rev: 0,
        }
    }

    pub fn borrow(&self) -> std::cell::Ref<'_, Run> {
        self.run.borrow()
    }

    /// The run, to change it: call [`RunHandle::touch`] after.
    fn borrow_mut(&self) -> std::cell::RefMut<'_, Run> {
        self.run.borrow_mut()
    }

    /// Records that the run changed.
    fn touch(&mut self) {
        self.rev += 1;
    }

    /// Changes with every change to the run.
    pub fn rev(&self) -> u64 {
        self.rev
    }
}

impl PartialEq for RunHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.rev == other.rev
    }
}

impl std::fmt::Debug for RunHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RunHandle(rev {})", self.rev)
    }
}

/// How fast simulated time runs while playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    Slow,
    Normal,
    Fast,
    Fastest,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Slow, Speed::Normal, Speed::Fast, Speed::Fastest];

    /// Simulated microseconds per real millisecond.
    pub fn sim_us_per_ms(self) -> u64 {
        match self {
            Speed::Slow => 2,
            Speed::Normal => 8,
            Speed::Fast => 40,
            Speed::Fastest => 400,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Speed::Slow => "0.25",
            Speed::Normal => "1",
            Speed::Fast => "5",
            Speed::Fastest => "50",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Slow => "¼×",
            Speed::Normal => "1×",
            Speed::Fast => "5×",
            Speed::Fastest => "50×",
        }
    }

    pub fn from_code(code: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How byte cells are labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ByteDisplay {
    #[default]
    Text,
    Hex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the system (prefers-color-scheme).
    #[default]
    Auto,
    Light,
    Dark,
}

/// A dialog over the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Share,
}

/// The longest pause, in real milliseconds, that playing shows between two
/// events: idle simulated time (a timer far away) is skipped, not waited out.
const MAX_IDLE_MS: u64 = 350;

/// The most simulation steps one play tick takes. Each tick is drawn; a
/// frame that has to lay out several new sockets at once is late.
const MAX_STEPS_PER_TICK: u32 = 12;

/// A tick stops early once its steps have put this many new boxes on the
/// stage (a socket card or a thread lane): laying them out is what makes a
/// frame late when eight clients connect at once.
const MAX_NEW_BOXES_PER_TICK: usize = 2;

/// Whether an event adds a box to the stage: a client's new socket, the
/// server's socket for a new connection (it appears with the SYN), a thread.
fn draws_a_new_box(e: &sim::Event) -> bool {
    use sim::event::{Call, EventKind};
    matches!(
        e.kind,
        EventKind::ThreadStarted { .. }
            | EventKind::SynQueued { .. }
            | EventKind::Return {
                call: Call::Socket,
                ..
            }
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub embed: bool,
    pub theme: Theme,
    /// Parts of the link that were not understood, shown until dismissed.
    pub problems: Vec<String>,
    pub lesson: LessonId,
    pub seed: u64,
    /// The simulation run.
    pub run: RunHandle,
    /// The display clock: `run.world().now()` or a little past it while playing.
    pub clock: Instant,
    pub playing: bool,
    pub speed: Speed,
    pub display: ByteDisplay,
    pub decode: TextEncoding,
    pub hidden: CategorySet,
    pub selected_event: Option<usize>,
    pub selected_segment: Option<u64>,
    pub overlay: Option<Overlay>,
    pub reduced_motion: bool,
    /// The furthest step this run has reached (the timeline's end).
    pub horizon: u64,
    /// Bytes highlighted because the learner clicked an HTTP header.
    pub mark: Option<ByteMark>,
    /// How many of the newest events the event list shows.
    pub event_limit: usize,
}

/// The furthest step a share link may ask to replay to.
pub const MAX_LINK_STEP: u64 = 200_000;

/// [`Category`] as an ordered set key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CategoryKey(pub u8);

impl From<Category> for CategoryKey {
    fn from(c: Category) -> Self {
        CategoryKey(Category::ALL.iter().position(|x| *x == c).unwrap_or(0) as u8)
    }
}

/// A set of event categories (the ones the event list hides): one bit per
/// [`CategoryKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CategorySet(u16);

const _: () = assert!(Category::ALL.len() <= 16, "a CategorySet has 16 bits");

impl CategorySet {
    fn bit(c: Category) -> u16 {
        1 << CategoryKey::from(c).0
    }

    pub fn contains(self, c: Category) -> bool {
        self.0 & Self::bit(c) != 0
    }

    pub fn toggle(&mut self, c: Category) {
        self.0 ^= Self::bit(c);
    }
}

impl FromIterator<Category> for CategorySet {
    fn from_iter<I: IntoIterator<Item = Category>>(cats: I) -> Self {
        CategorySet(cats.into_iter().fold(0, |bits, c| bits | Self::bit(c)))
    }
}

impl State {
    /// The first state, from the URL and the browser's language. Whatever
    /// the URL says, this returns a working state; what it could not use is
    /// in `problems`.
    pub fn new(url: UrlState, browser_lang: Option<Lang>) -> State {
        let lesson = url.lesson.unwrap_or(LessonId::Echo);
        let seed = url.seed.unwrap_or(lesson.info().default_seed);
        // A link's step is clamped: a run cannot be replayed further than it goes.
        let step = url.step.unwrap_or(0).min(MAX_LINK_STEP);
        let lang = url.lang.or(browser_lang).unwrap_or_default();
        let run = Run::replay(Setup::new(lesson, seed).in_lang(lang), url.actions, step);
        State {
            lang,
            embed: url.embed,
            theme: Theme::Auto,
            problems: url.problems,
            lesson,
            seed,
            clock: run.world().now(),
            run: RunHandle::new(run),
            playing: false,
            speed: Speed::Normal,
            display: ByteDisplay::Text,
            decode: TextEncoding::Gbk,
            hidden: CategorySet::default(),
            selected_event: None,
            selected_segment: None,
            overlay: None,
            reduced_motion: false,
            horizon: 0,
            mark: None,
            event_limit: EVENT_PAGE,
        }
        .touched_new()
    }

    fn touched_new(mut self) -> State {
        self.touched();
        self
    }

    fn touched(&mut self) {
        self.run.touch();
        let run = self.run.borrow();
        self.clock = run.world().now();
        self.horizon = self.horizon.max(run.current_step());
    }

    fn seek(&mut self, step: u64) {
        self.run.borrow_mut().seek(step);
        self.selected_segment = None;
        self.touched();
    }

    fn step(&mut self) {
        self.run.borrow_mut().step();
        self.touched();
    }

    fn load(&mut self, lesson: LessonId, seed: u64) {
        self.lesson = lesson;
        self.seed = seed;
        self.run = RunHandle::new(Run::start(Setup::new(lesson, seed).in_lang(self.lang)));
        self.horizon = 0;
        self.mark = None;
        self.playing = false;
        self.selected_event = None;
        self.selected_segment = None;
        self.event_limit = EVENT_PAGE;
        self.touched();
    }

    /// Moves the display clock by `elapsed_ms` of real time, running every
    /// simulation event that falls due.
    fn tick(&mut self, elapsed_ms: u64) {
        if !self.playing {
            return;
        }
        let mut run = self.run.borrow_mut();
        let Some(next) = run.world().next_event_at() else {
            drop(run);
            self.playing = false;
            self.touched();
            return;
        };
        let speed = self.speed.sim_us_per_ms();
        let mut clock = self.clock + Duration::from_micros(elapsed_ms.min(100) * speed);
        // Skip idle time: never show more than MAX_IDLE_MS of nothing.
        let idle_limit = Duration::from_micros(MAX_IDLE_MS * speed);
        if next > clock + idle_limit {
            clock = Instant::from_micros(next.total_micros() - idle_limit.total_micros());
        }
        // At most MAX_STEPS_PER_TICK steps: a burst (eight clients
        // connecting in the same millisecond) is drawn over a few frames,
        // and the clock waits at the last step taken.
        let (mut steps, mut new_boxes) = (0, 0);
        while run.world().next_event_at().is_some_and(|t| t <= clock) {
            if steps == MAX_STEPS_PER_TICK || new_boxes >= MAX_NEW_BOXES_PER_TICK {
                clock = run.world().now();
                break;
            }
            if !run.step() {
                break;
            }
            steps += 1;
            let at = run.current_step();
            new_boxes += run
                .events_at(at)
                .iter()
                .filter(|e| draws_a_new_box(e))
                .count();
        }
        let stepped = steps > 0;
        let finished = run.is_finished();
        let current = run.current_step();
        drop(run);
        self.clock = clock;
        self.horizon = self.horizon.max(current);
        if stepped {
            self.run.touch();
        }
        if finished {
            self.playing = false;
        }
    }
}

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
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => {
                // The programs are written in the learner's language: the
                // run is made again in the other one, up to the same step.
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
                next.touched();
            }
            Action::SetTheme(theme) => next.theme = theme,
            Action::DismissProblems => next.problems.clear(),
            Action::Tick(ms) => {
                if !next.playing {
                    return self;
                }
                next.tick(ms);
            }
            Action::TogglePlay => {
                next.playing = !next.playing && !next.run.borrow().is_finished();
            }
            Action::Step => {
                next.playing = false;
                next.step();
            }
            Action::StepBack => {
                next.playing = false;
                let at = next.run.borrow().current_step();
                next.seek(at.saturating_sub(1));
            }
            Action::Seek(step) => {
                next.playing = false;
                next.seek(step);
            }
            Action::Reset => next.load(next.lesson, next.seed),
            Action::SetSpeed(speed) => next.speed = speed,
            Action::SelectLesson(lesson) => next.load(lesson, lesson.info().default_seed),
            Action::Learner(a) => {
                next.run.borrow_mut().apply(a);
                // A new action starts a new future: the old end is gone.
                next.horizon = 0;
                next.touched();
            }
            Action::SetDisplay(d) => next.display = d,
            Action::SetDecode(e) => next.decode = e,
            Action::ToggleCategory(c) => {
                next.hidden.toggle(c);
            }
            Action::JumpToEvent(index) => {
                let step = next.run.borrow().log().get(index).map(|e| e.step);
                if let Some(step) = step {
                    next.playing = false;
                    next.seek(step);
                    next.selected_event = Some(index);
                }
            }
            Action::SelectSegment(s) => next.selected_segment = s,
            Action::ShowOverlay(o) => next.overlay = o,
            Action::Mark(m) => next.mark = m,
            Action::ShowMoreEvents => next.event_limit += EVENT_PAGE,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn playing(lesson: LessonId, extra_clients: usize) -> Rc<State> {
        let url = UrlState {
            lesson: Some(lesson),
            ..UrlState::default()
        };
        let mut state = Rc::new(State::new(url, Some(Lang::En)));
        for _ in 0..extra_clients {
            state = state.reduce(Action::Learner(sim::Action::AddClient));
        }
        state = state.reduce(Action::SetSpeed(Speed::Fastest));
        state.reduce(Action::TogglePlay)
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
            // The display clock is never past an event that has not run.
            if let Some(next) = run.world().next_event_at() {
                assert!(state.clock <= next);
            }
            assert!(state.clock >= last_clock, "the clock went back");
            last_clock = state.clock;
            drop(run);
            ticks += 1;
            assert!(ticks < 10_000, "playing never ends");
        }
        // Eight clients connecting did make the budget bite.
        assert!(max_boxes_seen >= MAX_NEW_BOXES_PER_TICK);
        let run = state.run.borrow();
        assert!(run.is_finished());
        // The same run, stepped by hand, ends at the same step.
        let mut by_hand = Run::new(LessonId::MultiClient, state.seed);
        for _ in 0..5 {
            by_hand.apply(sim::Action::AddClient);
        }
        while by_hand.step() {}
        assert_eq!(run.current_step(), by_hand.current_step());
    }
}
