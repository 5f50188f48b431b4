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

/// The points of one connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    points: Vec<GraphPoint>,
}

impl Graph {
    /// Adds `p` if a value changed since the last point.
    pub fn record(&mut self, p: GraphPoint) {
        if let Some(last) = self.points.last_mut() {
            if last.same_values(&p) {
                return;
            }
            if last.at == p.at {
                *last = p;
                // Replacing may have made it equal to the one before.
                let n = self.points.len();
                if n >= 2 && self.points[n - 2].same_values(&self.points[n - 1]) {
                    self.points.pop();
                }
                return;
            }
        }
        if self.points.len() >= MAX_POINTS {
            self.thin();
        }
        self.points.push(p);
    }

    /// Keeps every other point of the older half.
    fn thin(&mut self) {
        let half = self.points.len() / 2;
        let mut i = 0;
        self.points.retain(|_| {
            let keep = i >= half || i % 2 == 0;
            i += 1;
            keep
        });
    }

    pub fn points(&self) -> &[GraphPoint] {
        &self.points
    }

    /// Did the connection ever have data in flight (is it worth drawing)?
    pub fn sent_data(&self) -> bool {
        self.points.iter().any(|p| p.flight > 0)
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
        assert_eq!(g.points(), &[p(0, 10, 0), p(6, 10, 100)]);
        assert!(g.sent_data());
    }

    #[test]
    fn one_instant_holds_one_point_the_last() {
        let mut g = Graph::default();
        g.record(p(0, 10, 0));
        g.record(p(3, 10, 100));
        g.record(p(3, 10, 200));
        assert_eq!(g.points(), &[p(0, 10, 0), p(3, 10, 200)]);
        // Back to the previous values within the instant: no point at all.
        g.record(p(3, 10, 0));
        assert_eq!(g.points(), &[p(0, 10, 0)]);
    }

    #[test]
    fn a_long_run_is_thinned_in_its_older_half_and_stays_bounded() {
        let mut g = Graph::default();
        for i in 0..(3 * MAX_POINTS as u64) {
            g.record(p(i, 10, (i % 7) as u32 + 1));
        }
        let pts = g.points();
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
}
