//! The wire between hosts: it carries segments with a latency.

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
}

impl InFlight {
    /// How far along the wire it is at `now`, from 0.0 (sent) to 1.0 (arrived):
    /// what the UI needs to draw it moving.
    pub fn progress(&self, now: Instant) -> f64 {
        let total = (self.arrives_at - self.sent_at).total_micros().max(1) as f64;
        ((now - self.sent_at).total_micros() as f64 / total).clamp(0.0, 1.0)
    }
}

/// Whether the network loses segments. Only `None` exists today; a lossy
/// model would plug in here (and TCP would then need data retransmission).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Loss {
    #[default]
    None,
}

/// The network: one latency for every path. With one latency and no loss it
/// delivers segments in the order they were sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    pub latency: Duration,
    pub loss: Loss,
    pub in_flight: Vec<InFlight>,
    next_id: u64,
}

impl Network {
    pub fn new(latency: Duration) -> Self {
        Network {
            latency,
            loss: Loss::None,
            in_flight: Vec::new(),
            next_id: 0,
        }
    }

    /// Puts a segment on the wire; returns its id and arrival time, or `None`
    /// if the loss model drops it.
    pub fn send(
        &mut self,
        from: HostId,
        to: HostId,
        now: Instant,
        segment: Segment,
    ) -> Option<(u64, Instant)> {
        match self.loss {
            Loss::None => {}
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
        });
        Some((id, arrives_at))
    }

    /// Takes a segment off the wire when it arrives.
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
