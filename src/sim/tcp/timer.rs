//! A connection's timers: one deadline per kind, as quinn-proto's
//! `TimerTable` keeps them.
//!
//! Arming a kind replaces its deadline; stopping one leaves the others
//! alone (a single "generation" counter for every timer could not let a
//! retransmission timer and the persist timer coexist). The socket reports
//! every change to the kernel in its `Out`, so the world's
//! agenda holds exactly the deadlines that are set.

use crate::sim::event::TimerKind;
use crate::sim::time::Instant;

/// The deadline of each [`TimerKind`], if armed.
///
/// Invariant: a kind fires at most once per arming: [`Timers::expire`]
/// clears the deadline it reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timers {
    deadlines: [Option<Instant>; TimerKind::ALL.len()],
}

impl Timers {
    /// Arms `kind` to fire at `at`, replacing an earlier deadline.
    pub fn set(&mut self, kind: TimerKind, at: Instant) {
        self.deadlines[kind as usize] = Some(at);
    }

    /// Disarms `kind`. Returns whether it was armed.
    pub fn stop(&mut self, kind: TimerKind) -> bool {
        self.deadlines[kind as usize].take().is_some()
    }

    /// When `kind` fires, if armed.
    pub fn get(&self, kind: TimerKind) -> Option<Instant> {
        self.deadlines[kind as usize]
    }

    pub fn is_armed(&self, kind: TimerKind) -> bool {
        self.get(kind).is_some()
    }

    /// The earliest deadline and its kind.
    pub fn next(&self) -> Option<(TimerKind, Instant)> {
        TimerKind::ALL
            .into_iter()
            .filter_map(|k| self.get(k).map(|at| (k, at)))
            .min_by_key(|&(_, at)| at)
    }

    /// Whether `kind` is due at `now` (armed for exactly `now`, as the
    /// agenda delivers it); if so, it is disarmed: it fires once.
    pub fn expire(&mut self, kind: TimerKind, now: Instant) -> bool {
        if self.get(kind) == Some(now) {
            self.stop(kind);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_deadline() {
        let mut t = Timers::default();
        t.set(TimerKind::Persist, Instant(200));
        t.set(TimerKind::SynRetransmit, Instant(100));
        assert_eq!(t.next(), Some((TimerKind::SynRetransmit, Instant(100))));
        assert!(t.stop(TimerKind::SynRetransmit));
        assert!(!t.stop(TimerKind::SynRetransmit), "already stopped");
        assert_eq!(t.next(), Some((TimerKind::Persist, Instant(200))));
        t.set(TimerKind::Persist, Instant(300));
        assert!(
            !t.expire(TimerKind::Persist, Instant(200)),
            "re-armed: the old deadline is void"
        );
        assert!(t.expire(TimerKind::Persist, Instant(300)));
        assert!(!t.expire(TimerKind::Persist, Instant(300)), "fires once");
        assert_eq!(t.next(), None);
    }
}
