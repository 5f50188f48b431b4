//! The wire between hosts: it carries segments with a latency, and may
//! lose some.

use super::segment::Segment;
use crate::sim::ids::HostId;
use crate::sim::time::{Duration, Instant};
use serde::{Deserialize, Serialize};

/// A segment on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    /// Unique per run, in sending order.
    pub id: u64,
    pub from: HostId,
    pub to: HostId,
    pub sent_at: Instant,
    pub arrives_at: Instant,
    pub segment: Segment,
    /// The network will lose it: it travels, and vanishes instead of arriving.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lost: bool,
}

impl InFlight {
    /// How far along the wire it is at `now`, from 0.0 (sent) to 1.0 (arrived):
    /// what the UI needs to draw it moving.
    pub fn progress(&self, now: Instant) -> f64 {
        let total = (self.arrives_at - self.sent_at).total_micros().max(1) as f64;
        ((now - self.sent_at).total_micros() as f64 / total).clamp(0.0, 1.0)
    }
}

/// Which segments the network loses.
///
/// Two rules, both deterministic: a rate (each segment is lost with this
/// probability, drawn from the network's own seeded generator, so the same
/// seed and actions give the same run and turning loss on does not change
/// the hosts' random numbers), and a lesson's planned losses ("the client's
/// 7th data segment").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Loss {
    /// Percent of segments lost, 0 to 100.
    #[serde(default)]
    pub percent: u8,
    /// Planned losses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned: Vec<PlannedLoss>,
}

/// A loss a lesson plans, by a rule that does not depend on the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlannedLoss {
    /// The `nth` segment carrying data that host `from` sends (counting
    /// from 1, retransmissions included).
    Nth { from: HostId, nth: u32 },
    /// The first segment carrying data that host `from` sends at or after `at`.
    FirstAfter { from: HostId, at: Instant },
}

/// The network: one latency for every path. With one latency it delivers
/// segments in the order they were sent (those it does not lose).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    pub latency: Duration,
    pub loss: Loss,
    pub in_flight: Vec<InFlight>,
    next_id: u64,
    /// The loss rate's generator (xorshift64*, seeded from the run's seed).
    rng: u64,
    /// Data segments sent so far, per host (for planned losses).
    data_sent: Vec<u32>,
    /// Which `FirstAfter` losses have happened (by index in `loss.planned`).
    spent: Vec<usize>,
}

impl Network {
    pub fn new(latency: Duration) -> Self {
        Network::with_loss(latency, Loss::default(), 1)
    }

    pub fn with_loss(latency: Duration, loss: Loss, seed: u64) -> Self {
        Network {
            latency,
            loss,
            in_flight: Vec::new(),
            next_id: 0,
            // Never zero: xorshift would stay at zero.
            rng: seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
            data_sent: Vec::new(),
            spent: Vec::new(),
        }
    }

    /// A uniform draw in 0..100.
    fn roll(&mut self) -> u8 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        ((x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) % 100) as u8
    }

    /// Puts a segment on the wire; returns its id and arrival time. A
    /// segment the network will lose still travels (so it can be seen) and
    /// is marked `lost`.
    pub fn send(
        &mut self,
        from: HostId,
        to: HostId,
        now: Instant,
        segment: Segment,
    ) -> Option<(u64, Instant)> {
        let mut lost = false;
        if !segment.payload.is_empty() {
            let i = from.0 as usize;
            if self.data_sent.len() <= i {
                self.data_sent.resize(i + 1, 0);
            }
            self.data_sent[i] += 1;
            let n = self.data_sent[i];
            for (k, p) in self.loss.planned.iter().enumerate() {
                match *p {
                    PlannedLoss::Nth { from: f, nth } => lost |= f == from && nth == n,
                    PlannedLoss::FirstAfter { from: f, at } => {
                        if f == from && now >= at && !self.spent.contains(&k) {
                            self.spent.push(k);
                            lost = true;
                        }
                    }
                }
            }
        }
        if self.loss.percent > 0 {
            // Drawn for every segment, so the draws do not depend on what
            // was lost before.
            lost |= self.roll() < self.loss.percent;
        }
        let id = self.next_id;
        self.next_id += 1;
        let arrives_at = now + self.latency;
        self.in_flight.push(InFlight {
            id,
            from,
            to,
            sent_at: now,
            arrives_at,
            segment,
            lost,
        });
        Some((id, arrives_at))
    }

    /// Takes a segment off the wire when it arrives (or is dropped).
    pub fn take(&mut self, id: u64) -> Option<InFlight> {
        let i = self.in_flight.iter().position(|f| f.id == id)?;
        Some(self.in_flight.remove(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::net::segment::{Endpoint, Flags, SeqNumber};
    use std::net::Ipv4Addr;

    #[test]
    fn segments_arrive_after_the_latency_in_order() {
        let mut net = Network::new(Duration::from_millis(2));
        let ep = Endpoint::new(Ipv4Addr::LOCALHOST, 1);
        let seg = Segment {
            src: ep,
            dst: ep,
            seq: SeqNumber(0),
            ack: SeqNumber(0),
            flags: Flags::default(),
            window: 0,
            options: Default::default(),
            write_ends: vec![],
            payload: vec![],
        };
        let (a, ta) = net
            .send(HostId(0), HostId(1), Instant(0), seg.clone())
            .unwrap();
        let (b, tb) = net.send(HostId(0), HostId(1), Instant(10), seg).unwrap();
        assert_eq!((ta, tb), (Instant(2000), Instant(2010)));
        assert!(a < b);
        assert_eq!(net.in_flight[0].progress(Instant(1000)), 0.5);
        assert_eq!(net.take(a).unwrap().id, a);
        assert!(net.take(a).is_none());
    }
}

#[cfg(test)]
mod loss_tests {
    use super::*;
    use crate::sim::net::segment::{Endpoint, Flags, SeqNumber};
    use std::net::Ipv4Addr;

    fn seg(payload: &[u8]) -> Segment {
        let ep = Endpoint::new(Ipv4Addr::LOCALHOST, 1);
        Segment {
            src: ep,
            dst: ep,
            seq: SeqNumber(0),
            ack: SeqNumber(0),
            flags: Flags::default(),
            window: 0,
            options: Default::default(),
            payload: payload.to_vec(),
            write_ends: vec![],
        }
    }

    #[test]
    fn planned_losses_count_one_host_s_data_segments_or_wait_for_a_time() {
        let loss = Loss {
            percent: 0,
            planned: vec![
                PlannedLoss::Nth {
                    from: HostId(1),
                    nth: 2,
                },
                PlannedLoss::FirstAfter {
                    from: HostId(0),
                    at: Instant::from_millis(5),
                },
            ],
        };
        let mut net = Network::with_loss(Duration::from_millis(2), loss, 7);
        let t = Instant::ZERO;
        net.send(HostId(1), HostId(0), t, seg(b""));
        net.send(HostId(1), HostId(0), t, seg(b"a"));
        net.send(HostId(0), HostId(1), t, seg(b"b"));
        net.send(HostId(1), HostId(0), t, seg(b"c"));
        let later = Instant::from_millis(5);
        net.send(HostId(0), HostId(1), later, seg(b"d"));
        net.send(HostId(0), HostId(1), later, seg(b"e"));
        let lost: Vec<bool> = net.in_flight.iter().map(|f| f.lost).collect();
        assert_eq!(lost, vec![false, false, false, true, true, false]);
    }

    #[test]
    fn a_loss_rate_loses_about_that_share_the_same_way_for_the_same_seed() {
        let run = |seed| {
            let loss = Loss {
                percent: 20,
                planned: vec![],
            };
            let mut net = Network::with_loss(Duration::from_millis(2), loss, seed);
            for _ in 0..1000 {
                net.send(HostId(0), HostId(1), Instant::ZERO, seg(b"x"));
            }
            net.in_flight.iter().map(|f| f.lost).collect::<Vec<_>>()
        };
        let a = run(3);
        let lost = a.iter().filter(|l| **l).count();
        assert!((150..250).contains(&lost), "about 20% of 1000: {lost}");
        assert_eq!(a, run(3), "same seed, same losses");
        assert_ne!(a, run(4));
    }
}
