//! A connection's stream graph: the congestion window, the bytes in flight
//! and the peer's window over simulated time, as Wireshark's TCP stream
//! graphs draw them from a capture. It observes the socket; no rule of TCP
//! reads it.
//!
//! Invariant: points are in time order, at most one per instant (a later
//! change at the same instant replaces the point), and no two neighbours
//! hold the same values. At [`MAX_POINTS`] the older half is thinned to
//! every other point, so a long run keeps its shape in bounded memory and
//! the same run always draws the same graph.

use crate::sim::time::Instant;
use serde::Serialize;
use std::rc::Rc;

/// The most points one connection keeps.
pub const MAX_POINTS: usize = 2048;

/// The sender's view at one instant, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GraphPoint {
    pub at: Instant,
    /// The congestion window (segments × MSS).
    pub cwnd: u32,
    /// The slow-start threshold (segments × MSS), once a loss has set it.
    pub ssthresh: Option<u32>,
    /// Sent and not yet acknowledged.
    pub flight: u32,
    /// The receive window the peer last advertised.
    pub peer_window: u32,
}

impl GraphPoint {
    fn same_values(&self, other: &GraphPoint) -> bool {
        (self.cwnd, self.ssthresh, self.flight, self.peer_window)
            == (other.cwnd, other.ssthresh, other.flight, other.peer_window)
    }
}

/// Points are kept in frozen chunks of this many, which the world's
/// snapshots share, and a tail of the newest.
const CHUNK: usize = 64;

/// The points of one connection.
///
/// A snapshot of the world clones every socket's graph, so the older
/// points sit in full, frozen chunks behind `Rc`s (a clone copies a
/// pointer per chunk) and only the tail of the newest (fewer than
/// `2 × CHUNK`) is copied. Equality compares the points, not the chunking.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    chunks: Vec<Rc<[GraphPoint]>>,
    tail: Vec<GraphPoint>,
}

impl PartialEq for Graph {
    fn eq(&self, other: &Graph) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Graph {}

impl Graph {
    /// Adds `p` if a value changed since the last point.
    pub fn record(&mut self, p: GraphPoint) {
        self.reopen();
        let tail = &mut self.tail;
        if let Some(last) = tail.last_mut() {
            if last.same_values(&p) {
                return;
            }
            if last.at == p.at {
                *last = p;
                // Replacing may have made it equal to the one before.
                let n = tail.len();
                if n >= 2 && tail[n - 2].same_values(&tail[n - 1]) {
                    tail.pop();
                }
                return;
            }
        }
        if self.len() >= MAX_POINTS {
            self.thin();
        }
        self.tail.push(p);
        self.freeze();
    }

    /// Makes sure the last two points (when there are two) are in the
    /// tail, where they can change.
    fn reopen(&mut self) {
        if self.tail.len() < 2 {
            if let Some(chunk) = self.chunks.pop() {
                let mut tail = chunk.to_vec();
                tail.append(&mut self.tail);
                self.tail = tail;
            }
        }
    }

    /// Moves full chunks out of the tail, keeping `CHUNK` points there.
    fn freeze(&mut self) {
        while self.tail.len() >= 2 * CHUNK {
            self.chunks.push(Rc::from(&self.tail[..CHUNK]));
            self.tail.drain(..CHUNK);
        }
    }

    /// Keeps every other point of the older half.
    fn thin(&mut self) {
        let mut points = self.to_vec();
        let half = points.len() / 2;
        let mut i = 0;
        points.retain(|_| {
            let keep = i >= half || i % 2 == 0;
            i += 1;
            keep
        });
        self.chunks.clear();
        self.tail = points;
        self.freeze();
    }

    /// How many points there are.
    pub fn len(&self) -> usize {
        self.chunks.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The points, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &GraphPoint> {
        self.chunks.iter().flat_map(|c| c.iter()).chain(&self.tail)
    }

    /// The points, oldest first, as a vector of their own.
    pub fn to_vec(&self) -> Vec<GraphPoint> {
        self.iter().copied().collect()
    }

    /// Did the connection ever have data in flight (is it worth drawing)?
    pub fn sent_data(&self) -> bool {
        self.iter().any(|p| p.flight > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(ms: u64, cwnd: u32, flight: u32) -> GraphPoint {
        GraphPoint {
            at: Instant::from_millis(ms),
            cwnd,
            ssthresh: None,
            flight,
            peer_window: 1000,
        }
    }

    #[test]
    fn a_point_is_kept_only_when_a_value_changes() {
        let mut g = Graph::default();
        g.record(p(0, 10, 0));
        g.record(p(5, 10, 0));
        g.record(p(6, 10, 100));
        assert_eq!(g.to_vec(), &[p(0, 10, 0), p(6, 10, 100)]);
        assert!(g.sent_data());
    }

    #[test]
    fn one_instant_holds_one_point_the_last() {
        let mut g = Graph::default();
        g.record(p(0, 10, 0));
        g.record(p(3, 10, 100));
        g.record(p(3, 10, 200));
        assert_eq!(g.to_vec(), &[p(0, 10, 0), p(3, 10, 200)]);
        // Back to the previous values within the instant: no point at all.
        g.record(p(3, 10, 0));
        assert_eq!(g.to_vec(), &[p(0, 10, 0)]);
    }

    #[test]
    fn a_long_run_is_thinned_in_its_older_half_and_stays_bounded() {
        let mut g = Graph::default();
        for i in 0..(3 * MAX_POINTS as u64) {
            g.record(p(i, 10, (i % 7) as u32 + 1));
        }
        let pts = g.to_vec();
        assert!(pts.len() <= MAX_POINTS);
        assert!(pts.windows(2).all(|w| w[0].at < w[1].at));
        // The newest points are all there.
        assert_eq!(
            pts.last().unwrap().at,
            Instant::from_millis(3 * MAX_POINTS as u64 - 1)
        );
        assert_eq!(
            pts[pts.len() - 2].at,
            Instant::from_millis(3 * MAX_POINTS as u64 - 2)
        );
    }

    /// The plain vector the chunked graph must behave as.
    #[derive(Default)]
    struct Model(Vec<GraphPoint>);

    impl Model {
        fn record(&mut self, p: GraphPoint) {
            if let Some(last) = self.0.last_mut() {
                if last.same_values(&p) {
                    return;
                }
                if last.at == p.at {
                    *last = p;
                    let n = self.0.len();
                    if n >= 2 && self.0[n - 2].same_values(&self.0[n - 1]) {
                        self.0.pop();
                    }
                    return;
                }
            }
            if self.0.len() >= MAX_POINTS {
                let half = self.0.len() / 2;
                let mut i = 0;
                self.0.retain(|_| {
                    let keep = i >= half || i % 2 == 0;
                    i += 1;
                    keep
                });
            }
            self.0.push(p);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Chunks, reopening and thinning change nothing a reader sees, and
        /// a clone taken midway is unaffected by what the original records
        /// after it.
        #[test]
        fn chunked_points_are_the_plain_vectors(
            steps in proptest::collection::vec((0u64..3, 0u32..3, 0u32..3), 0..6000),
            cut in 0usize..6000,
        ) {
            let (mut g, mut m) = (Graph::default(), Model::default());
            let mut ms = 0;
            let mut snapshot = None;
            for (i, &(dt, cwnd, flight)) in steps.iter().enumerate() {
                if i == cut {
                    snapshot = Some((g.clone(), m.0.clone()));
                }
                ms += dt;
                g.record(p(ms, cwnd, flight));
                m.record(p(ms, cwnd, flight));
                proptest::prop_assert_eq!(g.len(), m.0.len());
            }
            proptest::prop_assert_eq!(g.to_vec(), m.0.clone());
            proptest::prop_assert_eq!(g.tail.len() < 2 * CHUNK, true);
            if let Some((old, old_points)) = snapshot {
                proptest::prop_assert_eq!(old.to_vec(), old_points);
            }
        }
    }
}
