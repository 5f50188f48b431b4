//! The retransmission timeout (RFC 6298), computed the way Linux computes it.
//!
//! One segment at a time is timed: the round trip from its sending to the
//! ACK that covers it is a sample. A segment that was retransmitted is
//! never timed, since its ACK could answer either copy (Karn's rule).
//! The estimator keeps SRTT (smoothed round trip) and RTTVAR (its mean
//! deviation) as RFC 6298 §2 does; Linux then floors the variation at
//! `TCP_RTO_MIN` (200 ms), so on a fast network RTO = SRTT + 200 ms rather
//! than RFC 6298's floor of 1 s. A timeout doubles RTO (exponential
//! backoff) up to `TCP_RTO_MAX`; the next valid sample undoes the backoff.
//!
//! Invariant: `rto_min <= rto() <= rto_max`.

use crate::sim::net::segment::SeqNumber;
use crate::sim::time::{Duration, Instant};

/// Linux's `TCP_RTO_MIN`.
pub const RTO_MIN: Duration = Duration::from_millis(200);
/// Linux's `TCP_RTO_MAX`.
pub const RTO_MAX: Duration = Duration::from_secs(120);
/// RFC 6298 §2.1 and Linux's `TCP_TIMEOUT_INIT`: before any sample.
pub const RTO_INITIAL: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RttEstimator {
    srtt: Option<Duration>,
    rttvar: Duration,
    /// RTO before backoff.
    base: Duration,
    /// How many times the current RTO has been doubled.
    backoff: u32,
    /// The segment being timed: the sequence number just past it, and when
    /// it was sent.
    timing: Option<(SeqNumber, Instant)>,
}

impl Default for RttEstimator {
    fn default() -> Self {
        RttEstimator {
            srtt: None,
            rttvar: Duration::ZERO,
            base: RTO_INITIAL,
            backoff: 0,
            timing: None,
        }
    }
}

impl RttEstimator {
    /// The current timeout, with backoff.
    pub fn rto(&self) -> Duration {
        let mut rto = self.base;
        for _ in 0..self.backoff {
            rto = rto.doubled();
            if rto >= RTO_MAX {
                return RTO_MAX;
            }
        }
        rto.min(RTO_MAX)
    }

    /// SRTT, once there is a sample.
    pub fn srtt(&self) -> Option<Duration> {
        self.srtt
    }

    /// RTTVAR (meaningful once there is a sample).
    pub fn rttvar(&self) -> Duration {
        self.rttvar
    }

    /// A new segment ending at `end` was sent at `now`: time it if none is
    /// being timed.
    pub fn on_send(&mut self, end: SeqNumber, now: Instant) {
        if self.timing.is_none() {
            self.timing = Some((end, now));
        }
    }

    /// Something was retransmitted: the segment being timed may be
    /// ambiguous now (Karn's rule), so stop timing it.
    pub fn on_retransmit(&mut self) {
        self.timing = None;
    }

    /// An ACK for everything before `ack` arrived at `now`. Returns the
    /// round-trip sample it gave, if any.
    pub fn on_ack(&mut self, ack: SeqNumber, now: Instant) -> Option<Duration> {
        let (end, sent) = self.timing?;
        if ack < end {
            return None;
        }
        self.timing = None;
        let r = now - sent;
        self.sample(r);
        Some(r)
    }

    /// RFC 6298 §2.2–2.3, with Linux's floor on the variation term.
    fn sample(&mut self, r: Duration) {
        let r_us = r.total_micros();
        match self.srtt {
            None => {
                self.srtt = Some(r);
                self.rttvar = Duration::from_micros(r_us / 2);
            }
            Some(srtt) => {
                let s = srtt.total_micros();
                let diff = s.abs_diff(r_us);
                // RTTVAR = 3/4 RTTVAR + 1/4 |SRTT − R|; SRTT = 7/8 SRTT + 1/8 R
                self.rttvar = Duration::from_micros((3 * self.rttvar.total_micros() + diff) / 4);
                self.srtt = Some(Duration::from_micros((7 * s + r_us) / 8));
            }
        }
        let srtt = self.srtt.unwrap_or(r).total_micros();
        let var = (4 * self.rttvar.total_micros()).max(RTO_MIN.total_micros());
        self.base = Duration::from_micros(srtt + var).min(RTO_MAX);
        self.backoff = 0;
    }

    /// The retransmission timer expired: double the timeout.
    pub fn on_timeout(&mut self) {
        self.timing = None;
        if self.rto() < RTO_MAX {
            self.backoff += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sample_sets_srtt_and_half_of_it_as_rttvar() {
        let mut e = RttEstimator::default();
        assert_eq!(e.rto(), RTO_INITIAL, "no sample yet: 1 s");
        e.on_send(SeqNumber(100), Instant::from_millis(0));
        assert_eq!(e.on_ack(SeqNumber(99), Instant::from_millis(3)), None);
        let r = e.on_ack(SeqNumber(100), Instant::from_millis(4));
        assert_eq!(r, Some(Duration::from_millis(4)));
        assert_eq!(e.srtt(), Some(Duration::from_millis(4)));
        assert_eq!(e.rttvar(), Duration::from_millis(2));
        assert_eq!(
            e.rto(),
            Duration::from_millis(204),
            "Linux floors the variation at 200 ms: SRTT + 200 ms"
        );
    }

    #[test]
    fn later_samples_smooth_with_gains_one_eighth_and_one_quarter() {
        let mut e = RttEstimator::default();
        e.sample(Duration::from_millis(800));
        e.sample(Duration::from_millis(400));
        // RTTVAR = 3/4·400 + 1/4·|800 − 400| = 400; SRTT = 7/8·800 + 1/8·400 = 750
        assert_eq!(e.srtt(), Some(Duration::from_millis(750)));
        assert_eq!(e.rttvar(), Duration::from_millis(400));
        assert_eq!(e.rto(), Duration::from_millis(750 + 1600));
    }

    #[test]
    fn timeouts_double_rto_up_to_the_maximum_and_a_sample_resets_it() {
        let mut e = RttEstimator::default();
        e.on_send(SeqNumber(10), Instant::ZERO);
        e.on_timeout();
        assert_eq!(e.rto(), Duration::from_secs(2));
        assert_eq!(
            e.on_ack(SeqNumber(10), Instant::from_millis(2500)),
            None,
            "the timed segment was resent: Karn's rule takes no sample"
        );
        for _ in 0..10 {
            e.on_timeout();
        }
        assert_eq!(e.rto(), RTO_MAX);
        e.on_send(SeqNumber(20), Instant::from_millis(10_000));
        e.on_ack(SeqNumber(20), Instant::from_millis(10_004));
        assert_eq!(e.rto(), Duration::from_millis(204), "backoff undone");
    }
}
