//! Playing at a reading pace: how long each step is shown, and the
//! ticks, steps and seeks that move the run.

use super::{Speed, State};
use crate::sim::event::{Call, EventKind};
use crate::sim::{Event, Instant};
use crate::web::i18n::Lang;
use std::rc::Rc;

/// The most simulation steps one play tick takes. Each tick is drawn; a
/// frame that has to lay out several new sockets at once is late.
pub(super) const MAX_STEPS_PER_TICK: u32 = 12;

/// A tick stops early once its steps have put this many new boxes on the
/// stage (a socket card or a thread lane): laying them out is what makes a
/// frame late when eight clients connect at once.
pub(super) const MAX_NEW_BOXES_PER_TICK: usize = 2;

/// How far ahead the timeline's end is looked for: a run that has not come
/// to rest by then shows "N+" steps.
pub const MEASURE_LIMIT: u64 = 20_000;

/// Whether an event adds a box to the stage: a client's new socket, the
/// server's socket for a new connection (it appears with the SYN), a thread.
pub(super) fn draws_a_new_box(e: &Event) -> bool {
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
    pub(super) fn set(&self, left: u64, whole: u64) {
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

impl State {
    /// Finds where the run comes to rest with the actions recorded so far,
    /// on a copy of it.
    pub(super) fn measure(&mut self) {
        let mut probe = self.run.borrow().clone();
        probe.play(MEASURE_LIMIT);
        self.total = Some(probe.current_step());
        self.total_open = !probe.is_finished();
    }

    pub(super) fn seek(&mut self, step: u64) {
        self.run.borrow_mut().seek(step);
        self.selected_segment = None;
        self.touched();
    }

    pub(super) fn step(&mut self) {
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

    /// The speed playing goes at now: an action's run to its effect goes
    /// at least at 5×.
    pub(super) fn pace(&self) -> Speed {
        if self.goal.is_some() {
            self.speed.max(Speed::Fast)
        } else {
            self.speed
        }
    }

    /// Real time passed while playing: take the steps whose reading time
    /// is over, and move the display clock.
    pub(super) fn tick(&mut self, elapsed_ms: u64) {
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
}
