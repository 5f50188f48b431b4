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
use crate::sim::event::{Call, EventKind, HttpNote, Ret};
use crate::sim::lessons::code::Script;
use crate::sim::net::SeqNumber;
use crate::sim::{self, Category, Event, HostId, Instant, LessonId, Run, Setup, ThreadId};
use crate::text::Text;
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
/// same revision; every change to the run goes with `RunHandle::touch`, so
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

/// How fast playing goes: 1× is a reading pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Speed {
    Slow,
    Normal,
    Fast,
    Fastest,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Slow, Speed::Normal, Speed::Fast, Speed::Fastest];

    /// How long a step is shown at this speed, from its time at 1×.
    pub fn scale(self, ms_at_1x: u64) -> u64 {
        match self {
            Speed::Slow => ms_at_1x * 4,
            Speed::Normal => ms_at_1x,
            Speed::Fast => ms_at_1x / 5,
            Speed::Fastest => ms_at_1x / 50,
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

/// The Network panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NetTab {
    #[default]
    Headers,
    Response,
    Timing,
}

impl NetTab {
    pub const ALL: [NetTab; 3] = [NetTab::Headers, NetTab::Response, NetTab::Timing];

    pub fn code(self) -> &'static str {
        match self {
            NetTab::Headers => "headers",
            NetTab::Response => "response",
            NetTab::Timing => "timing",
        }
    }

    pub fn from_code(code: &str) -> Option<NetTab> {
        NetTab::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// The most simulation steps one play tick takes. Each tick is drawn; a
/// frame that has to lay out several new sockets at once is late.
const MAX_STEPS_PER_TICK: u32 = 12;

/// A tick stops early once its steps have put this many new boxes on the
/// stage (a socket card or a thread lane): laying them out is what makes a
/// frame late when eight clients connect at once.
const MAX_NEW_BOXES_PER_TICK: usize = 2;

/// How far ahead the timeline's end is looked for: a run that has not come
/// to rest by then shows "N+" steps.
pub const MEASURE_LIMIT: u64 = 20_000;

/// Whether an event adds a box to the stage: a client's new socket, the
/// server's socket for a new connection (it appears with the SYN), a thread.
fn draws_a_new_box(e: &Event) -> bool {
    matches!(
        e.kind,
        EventKind::ThreadStarted { .. }
            | EventKind::ProcessStarted { .. }
            | EventKind::SynQueued { .. }
            | EventKind::Return {
                call: Call::Socket,
                ..
            }
    )
}

/// How long a step is shown at 1×, in real milliseconds: long enough to
/// read what it says. A step that only runs a line of code (no call, no
/// output) is a short beat; one that says something waits for the reader.
pub fn reading_ms(events: &[Event], lang: Lang) -> u64 {
    if events.is_empty() {
        return 300;
    }
    if events
        .iter()
        .all(|e| matches!(e.kind, EventKind::Ran { .. }))
    {
        return 700;
    }
    let lead = events
        .iter()
        .map(|e| e.narration(lang))
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let per_char = match lang {
        Lang::Zh => 80,
        Lang::En => 28,
    };
    let chars = lead.chars().count() as u64;
    let more = events.len().saturating_sub(1).min(4) as u64 * 250;
    (600 + chars * per_char + more).clamp(1_000, 6_000)
}

/// What a learner's action is waiting to see: an event on `host` that shows
/// the action took effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub host: HostId,
    pub kind: GoalKind,
    /// Pause when reached (the action came while paused).
    pub pause: bool,
    /// Give up at this step.
    pub until: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalKind {
    /// The program's call of this name returned or blocked.
    Call(&'static str),
    /// The program's call of this name returned.
    Returned(&'static str),
    /// The browser has read a whole response.
    Response,
    /// The process was ended.
    Ended,
}

impl Goal {
    /// What to wait for after `action`, or `None` if its effect shows at once.
    fn of(action: &sim::Action, new_host: Option<HostId>, at: u64, pause: bool) -> Option<Goal> {
        use sim::Action as A;
        let (host, kind) = match action {
            A::AddClient => (new_host?, GoalKind::Returned("connect()")),
            A::Send { client, .. } => (HostId(*client), GoalKind::Call("send()")),
            A::RecvNow { client } => (HostId(*client), GoalKind::Call("recv()")),
            A::Close { client } => (HostId(*client), GoalKind::Call("close()")),
            A::RemoveClient { client } => (HostId(*client), GoalKind::Ended),
            A::Navigate { .. } => (HostId::BROWSER, GoalKind::Response),
            _ => return None,
        };
        Some(Goal {
            host,
            kind,
            pause,
            until: at + 3_000,
        })
    }

    /// Whether `e` is the effect waited for.
    pub fn reached_by(&self, e: &Event) -> bool {
        if e.host != Some(self.host) {
            return false;
        }
        match (&self.kind, &e.kind) {
            (
                _,
                EventKind::ThreadEnded { .. }
                | EventKind::ProcessExited
                | EventKind::ProcessTerminated,
            ) => true,
            (GoalKind::Call(name), EventKind::Return { call, .. })
            | (GoalKind::Call(name), EventKind::Blocked { call, .. })
            | (GoalKind::Returned(name), EventKind::Return { call, .. }) => call.name() == *name,
            (
                GoalKind::Response,
                EventKind::Http {
                    note: HttpNote::ResponseParsed { .. },
                },
            ) => true,
            (
                GoalKind::Response,
                EventKind::Return {
                    ret: Ret::Error { .. },
                    ..
                },
            ) => true,
            _ => false,
        }
    }
}

/// What became of the learner's last action, shown beside the control
/// that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub action: sim::Action,
    /// The step it was applied at.
    pub at: u64,
    pub status: NoteStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoteStatus {
    /// Playing until its effect shows.
    Running,
    /// Its effect, at this step.
    Done { step: u64, event: Box<Event> },
    /// Done at once (a buffer size, an encoding).
    Applied,
    /// The world refused it, and why.
    Ignored { why: Text<String> },
    /// The run stopped (paused, or came to rest) before the effect showed.
    Stopped,
}

/// Real milliseconds left before playing takes the next step, and the whole
/// time the current step is shown. Shared between successive states and
/// left out of their comparison: a tick that only counts time down changes
/// nothing on screen, and is not drawn.
#[derive(Clone, Default)]
pub struct Dwell(Rc<std::cell::Cell<(u64, u64)>>);

impl Dwell {
    pub fn get(&self) -> (u64, u64) {
        self.0.get()
    }
    fn set(&self, left: u64, whole: u64) {
        self.0.set((left, whole));
    }
}

impl PartialEq for Dwell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Dwell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dwell{:?}", self.get())
    }
}

/// What the learner did with a checkpoint's question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Picked this choice.
    Chose(usize),
    /// Went on without answering (Play or Step while asked, or Skip).
    Passed,
}

impl Reply {
    /// One character in a link: `a`, `b`, … for a choice, `-` for passed.
    pub fn code(self) -> char {
        match self {
            Reply::Chose(i) => char::from(b'a' + (i.min(25)) as u8),
            Reply::Passed => '-',
        }
    }

    pub fn from_code(c: char) -> Option<Option<Reply>> {
        match c {
            'a'..='z' => Some(Some(Reply::Chose(c as usize - 'a' as usize))),
            '-' => Some(Some(Reply::Passed)),
            '_' => Some(None),
            _ => None,
        }
    }
}

/// The checkpoints of the lesson, as the learner meets them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quiz {
    /// Checkpoints are asked (`?quiz=0` turns them off).
    pub on: bool,
    /// The learner's reply to each of the lesson's checkpoints, by index.
    pub replies: Vec<Option<Reply>>,
    /// The checkpoint asked now: the run stands at the step before its
    /// trigger's and waits for an answer.
    pub asking: Option<usize>,
    /// The last checkpoint answered: its card (the answer, then the
    /// verdict) stays until the learner closes it or answers the next one,
    /// above the next question if that comes at once.
    pub shown: Option<usize>,
}

impl Quiz {
    pub fn reply(&self, i: usize) -> Option<Reply> {
        self.replies.get(i).copied().flatten()
    }

    /// The link's `quiz=` value: `0` when off, the replies (`a-_`) when
    /// there are any, nothing otherwise.
    pub fn link_value(&self) -> Option<String> {
        if !self.on {
            return Some("0".into());
        }
        if self.replies.iter().all(Option::is_none) {
            return None;
        }
        Some(
            self.replies
                .iter()
                .map(|r| r.map_or('_', Reply::code))
                .collect(),
        )
    }
}

/// A link's edited programs, still being decompressed: the run is replayed
/// with them once they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub code: String,
    pub actions: Vec<sim::run::Recorded>,
    pub step: u64,
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
    /// This lesson was opened by Back or Forward: its address is already
    /// in the browser's history.
    pub from_history: bool,
    /// The lesson's checkpoints: on or off, the replies, the one asked now.
    pub quiz: Quiz,
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
        let lesson = url.lesson.unwrap_or(LessonId::Echo);
        let seed = url.seed.unwrap_or(lesson.info().default_seed);
        // A link's step is clamped: a run cannot be replayed further than it goes.
        let step = url.step.unwrap_or(0).min(MAX_LINK_STEP);
        let lang = url.lang.or(browser_lang).unwrap_or_default();
        let setup = Setup::new(lesson, seed).in_lang(lang);
        // A link with edited programs waits for them before replaying.
        let (run, pending) = match url.code.clone() {
            Some(code) => (
                Run::start(setup),
                Some(Pending {
                    code,
                    actions: url.actions,
                    step,
                }),
            ),
            None => (Run::replay(setup, url.actions, step), None),
        };
        let mut state = State {
            lang,
            embed: url.embed,
            theme: Theme::Auto,
            problems: url.problems,
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
            code_link: pending.as_ref().map(|p| p.code.clone()),
            pending,
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
        state.touched();
        state
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

    /// Finds where the run comes to rest with the actions recorded so far,
    /// on a copy of it.
    fn measure(&mut self) {
        let mut probe = self.run.borrow().clone();
        probe.play(MEASURE_LIMIT);
        self.total = Some(probe.current_step());
        self.total_open = !probe.is_finished();
    }

    fn seek(&mut self, step: u64) {
        self.run.borrow_mut().seek(step);
        self.selected_segment = None;
        self.touched();
    }

    fn step(&mut self) {
        if let Some(i) = self.quiz.asking.take() {
            // Going on without answering: the question is passed.
            self.pass(i);
        }
        let moved = self.run.borrow_mut().step();
        if moved && self.checkpoint_reached() {
            self.touched();
            return;
        }
        if moved {
            let run = self.run.borrow();
            let at = run.current_step();
            let reached = self
                .goal
                .as_ref()
                .and_then(|g| run.events_at(at).iter().find(|e| g.reached_by(e)).cloned());
            drop(run);
            if let Some(e) = reached {
                self.goal_reached(at, e);
            }
        }
        self.touched();
    }

    /// After a step forward: if that step holds the trigger of a checkpoint
    /// not yet replied to, goes back to the step before it, stops playing
    /// and asks. Returns whether it did.
    fn checkpoint_reached(&mut self) -> bool {
        if !self.quiz.on {
            return false;
        }
        let checkpoints = self.lesson.info().checkpoints;
        let run = self.run.borrow();
        let at = run.current_step();
        let log = run.log();
        let first = log.len() - run.events_at(at).len();
        let hit = checkpoints.iter().enumerate().find(|(i, cp)| {
            self.quiz.reply(*i).is_none() && cp.fires_at(log).is_some_and(|k| k >= first)
        });
        let Some((i, _)) = hit else {
            return false;
        };
        drop(run);
        self.run.borrow_mut().seek(at.saturating_sub(1));
        self.playing = false;
        self.goal_stopped();
        self.quiz.asking = Some(i);
        true
    }

    /// The learner went on without answering checkpoint `i`.
    fn pass(&mut self, i: usize) {
        if let Some(r) = self.quiz.replies.get_mut(i) {
            if r.is_none() {
                *r = Some(Reply::Passed);
            }
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

    fn goal_reached(&mut self, step: u64, event: Event) {
        if let Some(goal) = self.goal.take() {
            if goal.pause {
                self.playing = false;
            }
            if let Some(note) = &mut self.note {
                note.status = NoteStatus::Done {
                    step,
                    event: Box::new(event),
                };
            }
        }
    }

    /// The goal is given up: the run stopped before the effect showed.
    fn goal_stopped(&mut self) {
        if self.goal.take().is_some() {
            if let Some(note) = &mut self.note {
                note.status = NoteStatus::Stopped;
            }
        }
    }

    /// The speed playing goes at now: an action's run to its effect goes
    /// at least at 5×.
    fn pace(&self) -> Speed {
        if self.goal.is_some() {
            self.speed.max(Speed::Fast)
        } else {
            self.speed
        }
    }

    /// Real time passed while playing: take the steps whose reading time
    /// is over, and move the display clock.
    fn tick(&mut self, elapsed_ms: u64) {
        if !self.playing {
            return;
        }
        let mut budget = elapsed_ms.min(100);
        let (mut steps, mut new_boxes) = (0u32, 0usize);
        let lang = self.lang;
        loop {
            let (left, whole) = self.dwell.get();
            if left > budget {
                self.dwell.set(left - budget, whole);
                break;
            }
            budget -= left;
            self.dwell.set(0, whole);
            // A burst (eight clients connecting at once) is drawn over a few frames.
            if steps == MAX_STEPS_PER_TICK || new_boxes >= MAX_NEW_BOXES_PER_TICK {
                break;
            }
            let mut run = self.run.borrow_mut();
            if !run.step() {
                drop(run);
                self.playing = false;
                self.goal_stopped();
                break;
            }
            steps += 1;
            drop(run);
            if self.checkpoint_reached() {
                self.dwell.set(0, 0);
                break;
            }
            let run = self.run.borrow();
            let at = run.current_step();
            let events = run.events_at(at);
            new_boxes += events.iter().filter(|e| draws_a_new_box(e)).count();
            let reached = self
                .goal
                .as_ref()
                .and_then(|g| events.iter().find(|e| g.reached_by(e)).cloned());
            let over = self.goal.as_ref().is_some_and(|g| at >= g.until);
            let dwell = self.pace().scale(reading_ms(events, lang));
            drop(run);
            self.dwell.set(dwell, dwell);
            if let Some(e) = reached {
                self.goal_reached(at, e);
            } else if over {
                self.goal_stopped();
            }
            if !self.playing {
                self.dwell.set(0, 0);
                break;
            }
        }
        let run = self.run.borrow();
        let now = run.world().now();
        let finished = run.is_finished();
        self.horizon = self.horizon.max(run.current_step());
        // The display clock goes from this step's time towards the next
        // event's while the step is shown.
        self.clock = match run.world().next_event_at() {
            Some(next) if self.playing && self.dwell.get().1 > 0 && next > now => {
                let (left, whole) = self.dwell.get();
                let span = (next - now).total_micros();
                let shown = whole - left;
                let part = (u128::from(span) * u128::from(shown) / u128::from(whole)) as u64;
                Instant::from_micros(now.total_micros() + part.min(span))
            }
            _ => now,
        };
        drop(run);
        if finished {
            self.playing = false;
            self.goal_stopped();
        }
        if steps > 0 || !self.playing {
            self.run.touch();
        }
    }

    /// Applies a learner's action, and plays on until its effect shows.
    fn learner(&mut self, action: sim::Action) {
        let (at, before) = {
            let run = self.run.borrow();
            (run.current_step(), run.world().hosts().len())
        };
        self.run.borrow_mut().apply(action.clone());
        let (ignored, new_host) = {
            let run = self.run.borrow();
            let ignored = run.events_at(at).iter().rev().find_map(|e| match &e.kind {
                EventKind::ActionIgnored { action: a, why } if *a == action => Some(why.clone()),
                _ => None,
            });
            let hosts = run.world().hosts();
            let new_host = (hosts.len() > before)
                .then(|| hosts.last().map(|h| h.id))
                .flatten();
            (ignored, new_host)
        };
        // A new action starts a new future: the old end is gone.
        self.horizon = 0;
        self.total = None;
        self.goal = None;
        let status = match ignored {
            Some(why) => NoteStatus::Ignored { why },
            None => match Goal::of(&action, new_host, at, !self.playing) {
                Some(goal) => {
                    self.goal = Some(goal);
                    self.playing = true;
                    NoteStatus::Running
                }
                None => NoteStatus::Applied,
            },
        };
        self.note = Some(Note { action, at, status });
        self.touched();
    }

    /// Replays the run from a link: its programs, actions and step.
    fn replay(&mut self, code: EditedCode, actions: Vec<sim::run::Recorded>, step: u64) {
        let setup = Setup {
            server: code.server,
            client: code.client,
            ..Setup::new(self.lesson, self.seed).in_lang(self.lang)
        };
        self.run = RunHandle::new(Run::replay(setup, actions, step));
        // The link's replies belong to this run.
        let replies = self.quiz.replies.clone();
        self.fresh_run();
        self.quiz.replies = replies;
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
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
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
            Action::DismissProblems => next.problems.clear(),
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
            Action::LoadUrl(url) => {
                let mut fresh = State::new(url, Some(next.lang));
                fresh.theme = next.theme;
                fresh.reduced_motion = next.reduced_motion;
                fresh.from_history = true;
                return Rc::new(fresh);
            }
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
}
