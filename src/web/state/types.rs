//! The small value types the state is made of: the shared run handle, the
//! speed, display and theme settings, the Network tabs and the hidden
//! event categories.

use crate::sim::net::SeqNumber;
use crate::sim::{Category, Run};
use std::cell::RefCell;
use std::rc::Rc;

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
    pub(super) fn borrow_mut(&self) -> std::cell::RefMut<'_, Run> {
        self.run.borrow_mut()
    }

    /// Records that the run changed.
    pub(super) fn touch(&mut self) {
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
