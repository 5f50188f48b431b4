//! The loop's timers: when must it look at a connection again, even if the
//! client sends nothing?
//!
//! A thread per client gets its timeout from the kernel (`SO_RCVTIMEO`). A
//! loop serving thousands of sockets keeps one list of deadlines instead and
//! tells `poll` to return by the earliest one.
//!
//! The list is a min-heap of `(deadline, connection)`. It is lazy: when a
//! client sends something, its entry is *not* moved (that would cost a heap
//! operation per request). When an entry comes due, the loop recomputes the
//! connection's real deadline from its last activity; if that is later, the
//! entry goes back in with the new time. So a busy connection costs one heap
//! operation per timeout period, not one per request. Entries of closed
//! connections are recognised by their id and dropped when they come due.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

/// Which connection an entry is for: its slot, and an id that changes when
/// the slot is reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub slot: usize,
    pub id: u64,
}

#[derive(Default)]
pub(crate) struct Deadlines {
    heap: BinaryHeap<Reverse<(Instant, Key)>>,
}

impl Deadlines {
    pub(crate) fn push(&mut self, at: Instant, key: Key) {
        self.heap.push(Reverse((at, key)));
    }

    /// The earliest deadline.
    pub(crate) fn next(&self) -> Option<Instant> {
        self.heap.peek().map(|Reverse((at, _))| *at)
    }

    /// Takes the earliest entry if it is due at `now`.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<Key> {
        match self.heap.peek() {
            Some(Reverse((at, _))) if *at <= now => self.heap.pop().map(|Reverse((_, k))| k),
            _ => None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    /// Keeps only the entries `live` says are still wanted (after many
    /// connections closed, so stale entries do not pile up).
    pub(crate) fn retain(&mut self, mut live: impl FnMut(Key) -> bool) {
        self.heap.retain(|Reverse((_, k))| live(*k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn due_entries_come_out_earliest_first() {
        let t0 = Instant::now();
        let mut d = Deadlines::default();
        let k = |slot| Key { slot, id: 1 };
        d.push(t0 + Duration::from_millis(30), k(3));
        d.push(t0 + Duration::from_millis(10), k(1));
        d.push(t0 + Duration::from_millis(20), k(2));
        assert_eq!(d.next(), Some(t0 + Duration::from_millis(10)));
        assert_eq!(d.pop_due(t0), None);
        let now = t0 + Duration::from_millis(25);
        assert_eq!(d.pop_due(now), Some(k(1)));
        assert_eq!(d.pop_due(now), Some(k(2)));
        assert_eq!(d.pop_due(now), None);
        d.retain(|key| key.slot != 3);
        assert_eq!(d.len(), 0);
    }
}
