//! Congestion control: Reno (RFC 5681) with NewReno's recovery (RFC 6582),
//! counted in segments as Linux counts `snd_cwnd`.
//!
//! - **Slow start** while cwnd < ssthresh: every segment acknowledged adds
//!   one to cwnd (so cwnd doubles each round trip).
//! - **Congestion avoidance** from ssthresh on: cwnd grows by one segment
//!   per cwnd segments acknowledged (about one per round trip).
//! - **Fast retransmit** on the third duplicate ACK: ssthresh = half the
//!   segments in flight (at least 2), the first unacknowledged segment is
//!   sent again, and cwnd = ssthresh + 3 (the three segments the duplicate
//!   ACKs say have left the network). Each further duplicate ACK adds one.
//!   A partial ACK (new data acknowledged, but not everything sent before
//!   the loss) means another segment was lost: it is sent at once and the
//!   connection stays in recovery. The ACK that covers `recover` ends it:
//!   cwnd = ssthresh.
//! - **Timeout**: ssthresh = half the flight (at least 2), cwnd = 1: slow
//!   start from one segment.
//!
//! Linux's default is CUBIC; the lessons (and the harness that compares
//! them with Linux) set `net.ipv4.tcp_congestion_control = reno`.
//!
//! Invariant: `cwnd >= 1` and `ssthresh >= 2`.

use crate::sim::net::segment::SeqNumber;
use serde::{Deserialize, Serialize};

/// Linux's initial window (RFC 6928): ten segments.
pub const INITIAL_CWND: u32 = 10;
/// The duplicate ACKs that mean "lost" (RFC 5681 §3.2).
pub const DUPACK_THRESHOLD: u32 = 3;

/// Which phase the sender is in, for the views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    SlowStart,
    CongestionAvoidance,
    /// Fast recovery, until everything sent before the loss is acknowledged.
    Recovery,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reno {
    cwnd: u32,
    ssthresh: u32,
    /// Segments acknowledged toward the next +1 in congestion avoidance.
    cwnd_cnt: u32,
    /// Duplicate ACKs in a row.
    dupacks: u32,
    /// In recovery: SND.NXT when it began. RFC 6582's `recover` is the
    /// highest sequence number sent, one less: an ACK at or past this
    /// covers it.
    recover: Option<SeqNumber>,
}

impl Default for Reno {
    fn default() -> Self {
        Reno {
            cwnd: INITIAL_CWND,
            ssthresh: u32::MAX,
            cwnd_cnt: 0,
            dupacks: 0,
            recover: None,
        }
    }
}

/// What the sender must do after a duplicate or partial ACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Nothing,
    /// Send the first unacknowledged segment again now.
    Retransmit,
}

impl Reno {
    /// Reno starting from an initial window of `segments` (at least 1).
    pub fn with_initial_window(segments: u32) -> Reno {
        Reno {
            cwnd: segments.max(1),
            ..Reno::default()
        }
    }

    pub fn cwnd(&self) -> u32 {
        self.cwnd
    }
    /// `None` until the first loss ("infinite").
    pub fn ssthresh(&self) -> Option<u32> {
        (self.ssthresh != u32::MAX).then_some(self.ssthresh)
    }
    pub fn dupacks(&self) -> u32 {
        self.dupacks
    }
    pub fn phase(&self) -> Phase {
        if self.recover.is_some() {
            Phase::Recovery
        } else if self.cwnd < self.ssthresh {
            Phase::SlowStart
        } else {
            Phase::CongestionAvoidance
        }
    }

    /// An ACK acknowledged `segments` new segments, up to `ack`. The window
    /// grows only if it was what limited the sender (`cwnd_limited`): a
    /// program that sends little at a time does not earn a large window
    /// (RFC 7661; Linux's `tcp_is_cwnd_limited`).
    pub fn on_new_ack(&mut self, segments: u32, ack: SeqNumber, cwnd_limited: bool) -> Verdict {
        self.dupacks = 0;
        if let Some(recover) = self.recover {
            if ack >= recover {
                // Full ACK: recovery is over, deflate the window.
                self.recover = None;
                self.cwnd = self.ssthresh;
                self.cwnd_cnt = 0;
                return Verdict::Nothing;
            }
            // Partial ACK: the next hole is lost too. Deflate by what was
            // acknowledged, add back one for the retransmission.
            self.cwnd = self.cwnd.saturating_sub(segments).saturating_add(1).max(1);
            return Verdict::Retransmit;
        }
        let mut acked = if cwnd_limited { segments } else { 0 };
        if self.cwnd < self.ssthresh {
            let room = self.ssthresh - self.cwnd;
            let grow = acked.min(room);
            self.cwnd += grow;
            acked -= grow;
        }
        if acked > 0 && self.cwnd >= self.ssthresh {
            self.cwnd_cnt += acked;
            if self.cwnd_cnt >= self.cwnd {
                self.cwnd_cnt -= self.cwnd;
                self.cwnd += 1;
            }
        }
        Verdict::Nothing
    }

    /// A duplicate ACK arrived with `in_flight` segments outstanding and
    /// SND.NXT at `snd_nxt`.
    pub fn on_dupack(&mut self, in_flight: u32, snd_nxt: SeqNumber) -> Verdict {
        self.dupacks += 1;
        if self.recover.is_some() {
            self.cwnd += 1; // one more segment has left the network
            return Verdict::Nothing;
        }
        if self.dupacks == DUPACK_THRESHOLD {
            self.ssthresh = (in_flight / 2).max(2);
            self.cwnd = self.ssthresh + DUPACK_THRESHOLD;
            self.recover = Some(snd_nxt);
            return Verdict::Retransmit;
        }
        Verdict::Nothing
    }

    /// The retransmission timer expired with `in_flight` segments outstanding.
    pub fn on_timeout(&mut self, in_flight: u32) {
        if self.recover.is_none() || in_flight > 0 {
            self.ssthresh = (in_flight / 2).max(2);
        }
        self.cwnd = 1;
        self.cwnd_cnt = 0;
        self.dupacks = 0;
        self.recover = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_doubles_per_round_trip_then_avoidance_adds_one() {
        let mut r = Reno::default();
        assert_eq!((r.cwnd(), r.phase()), (10, Phase::SlowStart));
        r.on_new_ack(10, SeqNumber(1), true);
        assert_eq!(r.cwnd(), 20, "a round trip of ten ACKed segments");
        r.on_timeout(20);
        assert_eq!((r.cwnd(), r.ssthresh()), (1, Some(10)));
        for _ in 0..9 {
            r.on_new_ack(1, SeqNumber(2), true);
        }
        assert_eq!((r.cwnd(), r.phase()), (10, Phase::CongestionAvoidance));
        r.on_new_ack(9, SeqNumber(3), true);
        assert_eq!(r.cwnd(), 10, "nine of ten needed");
        r.on_new_ack(1, SeqNumber(4), true);
        r.on_new_ack(11, SeqNumber(5), false);
        assert_eq!(r.cwnd(), 11, "not limited by cwnd: no growth");
        assert_eq!(r.cwnd(), 11, "one more per window's worth of ACKs");
    }

    #[test]
    fn the_third_duplicate_ack_halves_and_recovery_ends_on_the_full_ack() {
        let mut r = Reno::default();
        let nxt = SeqNumber(5000);
        assert_eq!(r.on_dupack(10, nxt), Verdict::Nothing);
        assert_eq!(r.on_dupack(10, nxt), Verdict::Nothing);
        assert_eq!(r.on_dupack(10, nxt), Verdict::Retransmit);
        assert_eq!(
            (r.ssthresh(), r.cwnd(), r.phase()),
            (Some(5), 8, Phase::Recovery)
        );
        r.on_dupack(10, nxt);
        assert_eq!(r.cwnd(), 9, "each further duplicate inflates by one");
        assert_eq!(
            r.on_new_ack(3, SeqNumber(3000), true),
            Verdict::Retransmit,
            "partial ACK: another hole"
        );
        assert_eq!((r.cwnd(), r.phase()), (7, Phase::Recovery));
        assert_eq!(r.on_new_ack(6, SeqNumber(5001), true), Verdict::Nothing);
        assert_eq!((r.cwnd(), r.phase()), (5, Phase::CongestionAvoidance));
    }
}
