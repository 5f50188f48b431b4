//! The world's agenda: what is due, and when.
//!
//! A discrete-event simulation's future event list. Invariant: [`Agenda::pop`]
//! returns the entry with the earliest time, and entries due at the same time
//! come out in the order they were scheduled (FIFO), so a run is the same
//! every time. The agenda of a lesson holds tens of entries, so it is a
//! `Vec` kept sorted with the earliest entry last: popping is O(1), and
//! inserting is a binary search and a move of the entries due later (all of
//! them for a new latest entry: tens of words). It replays the reference run
//! faster than a `BTreeMap` did, and its code is a fraction of a
//! `BTreeMap`'s in the wasm bundle.

use crate::sim::time::Instant;

/// Entries due at simulated times, earliest first, FIFO among equal times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agenda<T> {
    /// `(at, seq, item)`, sorted by `(at, seq)` descending: the next due is last.
    entries: Vec<(Instant, u64, T)>,
    /// How many entries were ever scheduled: the FIFO tie-break.
    next_seq: u64,
}

impl<T> Default for Agenda<T> {
    fn default() -> Self {
        Agenda {
            entries: Vec::new(),
            next_seq: 0,
        }
    }
}

impl<T> Agenda<T> {
    /// Schedules `item` at `at`, after everything already due at `at`.
    pub fn schedule(&mut self, at: Instant, item: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        // Entries later than (at, seq) stay in front of it. `seq` is larger
        // than every stored seq, so no stored entry equals the new key.
        let i = self.entries.partition_point(|e| (e.0, e.1) > (at, seq));
        self.entries.insert(i, (at, seq, item));
    }

    /// Removes every entry whose item matches `pred`. Returns how many.
    pub fn cancel(&mut self, pred: impl Fn(&T) -> bool) -> usize {
        let before = self.entries.len();
        self.entries.retain(|e| !pred(&e.2));
        before - self.entries.len()
    }

    /// Takes the next entry due: the earliest, and the first scheduled among equals.
    pub fn pop(&mut self) -> Option<(Instant, T)> {
        self.entries.pop().map(|(at, _, item)| (at, item))
    }

    /// When the next entry is due.
    pub fn next_at(&self) -> Option<Instant> {
        self.entries.last().map(|e| e.0)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn equal_times_come_out_in_the_order_scheduled() {
        let mut a = Agenda::default();
        a.schedule(Instant::from_micros(5), 'b');
        a.schedule(Instant::from_micros(1), 'a');
        a.schedule(Instant::from_micros(5), 'c');
        assert_eq!(a.next_at(), Some(Instant::from_micros(1)));
        a.schedule(Instant::from_micros(5), 'x');
        assert_eq!(a.cancel(|c| *c == 'x'), 1);
        let order: Vec<char> = std::iter::from_fn(|| a.pop().map(|(_, c)| c)).collect();
        assert_eq!(order, ['a', 'b', 'c']);
        assert!(a.is_empty());
    }

    proptest! {
        /// Against a model: a map keyed by (time, order scheduled), under any
        /// mix of schedules and pops.
        #[test]
        fn behaves_like_an_ordered_map(ops in prop::collection::vec(prop::option::of(0u64..20), 0..200)) {
            let mut agenda = Agenda::default();
            let mut model = BTreeMap::new();
            for (n, op) in ops.into_iter().enumerate() {
                match op {
                    Some(t) => {
                        agenda.schedule(Instant::from_micros(t), n);
                        model.insert((t, n), n);
                    }
                    None => {
                        let want = model.pop_first().map(|((t, _), n)| (Instant::from_micros(t), n));
                        prop_assert_eq!(agenda.pop(), want);
                    }
                }
                prop_assert_eq!(agenda.len(), model.len());
                prop_assert_eq!(agenda.next_at(), model.keys().next().map(|k| Instant::from_micros(k.0)));
            }
        }
    }
}
