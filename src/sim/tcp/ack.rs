//! When to acknowledge, as Linux decides it.
//!
//! A receiver does not answer every segment at once. Linux (6.x,
//! `net/ipv4/tcp_input.c`: `tcp_event_data_recv`, `__tcp_ack_snd_check`;
//! `tcp_output.c`: `tcp_send_delayed_ack`; `tcp_timer.c`:
//! `tcp_delack_timer_handler`) keeps, per connection:
//!
//! - **quick-ACK mode**: at the start of a connection (and after a long
//!   silence) it ACKs each data segment at once, a few times over, so the
//!   sender's window can grow;
//! - **ping-pong (interactive) mode**: once the program answers data soon
//!   after it arrived (a request, then a reply), ACKs are delayed, because
//!   the next reply will carry them for free; a FIN received while
//!   established enters it too (the program will likely close soon);
//! - the **delayed-ACK timer** (about 40 ms once data has arrived; until
//!   then its timeout `ato` is zero, so an ACK owed for a FIN or a window
//!   probe on a connection that never received data goes at the next
//!   timer tick): an ACK nobody carried by then goes alone.
//!
//! An ACK is also sent at once when more than one full-sized segment is
//! waiting for it, and when reading freed enough room that the window
//! should be announced.

use crate::sim::time::{Duration, Instant};

/// TCP_ATO_MIN (= TCP_DELACK_MIN): the shortest delayed-ACK timeout.
pub const ATO_MIN: Duration = Duration::from_millis(40);
/// TCP_DELACK_MAX: the longest.
pub const DELACK_MAX: Duration = Duration::from_millis(200);
/// One jiffy at Debian's and Ubuntu's `CONFIG_HZ=250`: a timer armed for
/// "now" fires at the next tick. Measured on Linux 6.18: the ACK of a FIN
/// on a connection that never received data left 2–4 ms after the FIN
/// arrived, not 40 ms.
pub const TICK: Duration = Duration::from_millis(4);
/// TCP_MAX_QUICKACKS.
const MAX_QUICKACKS: u32 = 16;
/// The retransmission timeout the ACK estimator compares gaps with
/// (TCP_RTO_MIN; this model has no RTT estimator yet).
const RTO: Duration = Duration::from_millis(200);
/// net.ipv4.tcp_pingpong_thresh.
const PINGPONG_THRESH: u8 = 1;
/// TCP_MIN_RCVMSS / TCP_MIN_MSS: bounds of the guess of the peer's MSS.
const MIN_RCVMSS: usize = 536;
const MIN_MSS: usize = 88;

/// The receiver's ACK state (Linux's `icsk_ack`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckState {
    /// ACKs still to send at once (quick-ACK mode while non-zero and not
    /// in ping-pong mode).
    quick: u32,
    /// How interactive the connection has looked.
    pingpong: u8,
    /// The delayed-ACK timeout estimate; zero until data first arrives.
    ato: Duration,
    /// When data last arrived.
    lrcvtime: Instant,
    /// The guess of the peer's segment size.
    rcv_mss: usize,
    /// An ACK is owed (ICSK_ACK_SCHED).
    pub(super) scheduled: bool,
    /// The next ACK goes at once (set by the rules above, or by the timer).
    pub(super) now: bool,
    /// Small (pushed) segments arrived since the last ACK: 0, 1 or 2+.
    pushed: u8,
}

impl AckState {
    /// `advmss` is our MSS, `rcv_wnd` the window we offered.
    pub fn new(advmss: usize, rcv_wnd: usize) -> AckState {
        let hint = advmss.min(rcv_wnd / 2).clamp(MIN_MSS, MIN_RCVMSS);
        AckState {
            quick: 0,
            pingpong: 0,
            ato: Duration::ZERO,
            lrcvtime: Instant::ZERO,
            rcv_mss: hint,
            scheduled: false,
            now: false,
            pushed: 0,
        }
    }

    pub fn in_pingpong_mode(&self) -> bool {
        self.pingpong >= PINGPONG_THRESH
    }

    pub fn in_quickack_mode(&self) -> bool {
        self.quick > 0 && !self.in_pingpong_mode()
    }

    /// The guess of the peer's segment size.
    pub fn rcv_mss(&self) -> usize {
        self.rcv_mss
    }

    fn incr_quickack(&mut self, rcv_wnd: usize) {
        let q = match rcv_wnd / (2 * self.rcv_mss) {
            0 => 2,
            q => q as u32,
        };
        self.quick = self.quick.max(q.min(MAX_QUICKACKS));
    }

    /// `len` bytes of data arrived in order at `now` (tcp_event_data_recv).
    pub fn data_received(&mut self, now: Instant, len: usize, advmss: usize, rcv_wnd: usize) {
        self.scheduled = true;
        if len >= self.rcv_mss {
            self.rcv_mss = len.min(advmss);
        } else {
            self.pushed = (self.pushed + 1).min(2);
        }
        if self.ato == Duration::ZERO {
            // The first data: start the estimator in quick-ACK mode.
            self.incr_quickack(rcv_wnd);
            self.ato = ATO_MIN;
        } else {
            let m = now - self.lrcvtime;
            if m <= ATO_MIN / 2 {
                self.ato = self.ato / 2 + ATO_MIN / 2;
            } else if m < self.ato {
                self.ato = (self.ato / 2 + m).min(RTO);
            } else if m > RTO {
                // A long gap: the sender may be stalled; ACK quickly again.
                self.incr_quickack(rcv_wnd);
            }
        }
        self.lrcvtime = now;
    }

    /// The receive window grew (Linux's `tcp_grow_window` sets
    /// `icsk_ack.quick |= 1`): at least the next ACK goes at once.
    pub fn quick_at_least_one(&mut self) {
        self.quick |= 1;
    }

    /// Free memory ran below half the window (Linux's
    /// `__tcp_select_window` clears `icsk_ack.quick`): no more quick ACKs.
    pub fn leave_quickack(&mut self) {
        self.quick = 0;
    }

    /// The peer's FIN arrived while established: the program will likely
    /// close soon, and its FIN can carry the ACK.
    pub fn enter_pingpong_mode(&mut self) {
        self.pingpong = PINGPONG_THRESH;
    }

    /// We sent data at `now` (tcp_event_data_sent): soon after data arrived,
    /// it looks like a reply.
    pub fn data_sent(&mut self, now: Instant) {
        if self.ato > Duration::ZERO && now - self.lrcvtime < self.ato {
            self.pingpong = self.pingpong.saturating_add(1);
        }
    }

    /// An ACK went out (alone or on data): nothing is owed any more
    /// (tcp_event_ack_sent, tcp_dec_quickack_mode).
    pub fn ack_sent(&mut self) {
        if self.quick > 0 {
            let pkts = u32::from(self.scheduled);
            if pkts >= self.quick {
                self.quick = 0;
                self.ato = ATO_MIN;
            } else {
                self.quick -= pkts;
            }
        }
        self.scheduled = false;
        self.now = false;
        self.pushed = 0;
    }

    /// After a segment was processed (__tcp_ack_snd_check): whether the
    /// owed ACK goes now. `unacked` is RCV.NXT − RCV.WUP, `window_ok`
    /// whether the window we would offer is not smaller than the last one.
    pub fn send_now(&self, unacked: usize, window_ok: bool) -> bool {
        (unacked > self.rcv_mss && window_ok) || self.in_quickack_mode() || self.now
    }

    /// The delayed-ACK timeout from `now` (tcp_send_delayed_ack); with the
    /// timer already armed for `armed`, `None` means "send it now instead".
    pub fn delay(&self, now: Instant, armed: Option<Instant>) -> Option<Instant> {
        // Linux takes `ato` as it is: zero until data first arrives (then
        // the timer fires at the next tick).
        let mut ato = self.ato.max(TICK);
        if ato > ATO_MIN {
            let mut max_ato = Duration::from_millis(500);
            if self.in_pingpong_mode() || self.pushed > 0 {
                max_ato = DELACK_MAX;
            }
            ato = ato.min(max_ato);
        }
        let mut at = now + ato.min(DELACK_MAX);
        if let Some(old) = armed {
            if old <= now + ato / 4 {
                return None;
            }
            at = at.min(old);
        }
        Some(at)
    }

    /// The delayed-ACK timer fired with an ACK owed
    /// (tcp_delack_timer_handler): it goes now, and the estimator learns.
    pub fn timer_fired(&mut self) {
        if self.in_pingpong_mode() {
            // The reply did not come: leave ping-pong mode.
            self.pingpong = 0;
            self.ato = ATO_MIN;
        } else {
            self.ato = (self.ato * 2).min(RTO);
        }
        self.now = true;
    }

    /// Reading took bytes out (tcp_cleanup_rbuf): whether the owed ACK
    /// should go now. `unacked` as for [`AckState::send_now`];
    /// `drained`: the receive buffer is empty now.
    pub fn ack_after_read(&self, unacked: usize, drained: bool) -> bool {
        self.scheduled
            && (unacked > self.rcv_mss
                || (drained
                    && (self.pushed >= 2 || (self.pushed == 1 && !self.in_pingpong_mode()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_data_is_acked_at_once_then_a_reply_makes_acks_wait() {
        let mut a = AckState::new(1460, 65535);
        a.data_received(Instant::from_millis(10), 4, 1460, 65535);
        assert!(
            a.in_quickack_mode() && a.send_now(4, true),
            "quick-ACK mode"
        );
        a.ack_sent();
        a.data_sent(Instant::from_millis(10));
        assert!(a.in_pingpong_mode(), "a reply soon after a request");
        a.data_received(Instant::from_millis(14), 12, 1460, 65535);
        assert!(
            !a.send_now(12, true),
            "interactive: the ACK waits for the reply"
        );
        let at = a.delay(Instant::from_millis(14), None).unwrap();
        assert_eq!(at, Instant::from_millis(14) + ATO_MIN);
    }

    #[test]
    fn before_any_data_a_delayed_ack_waits_only_a_tick() {
        // A FIN on a connection that never received data (Linux: `ato`
        // is still 0): the ACK goes at the next timer tick.
        let mut a = AckState::new(1460, 65535);
        a.enter_pingpong_mode();
        let now = Instant::from_millis(100);
        assert_eq!(a.delay(now, None), Some(now + TICK));
        a.data_received(now, 4, 1460, 65535);
        assert_eq!(a.delay(now, None), Some(now + ATO_MIN));
    }

    #[test]
    fn more_than_one_full_segment_waiting_is_acked_at_once() {
        let mut a = AckState::new(1460, 65535);
        a.enter_pingpong_mode();
        a.data_received(Instant::from_millis(1), 1460, 1460, 65535);
        assert!(!a.send_now(1460, true));
        a.data_received(Instant::from_millis(2), 1460, 1460, 65535);
        assert!(a.send_now(2920, true));
    }

    #[test]
    fn a_timer_that_fires_in_pingpong_mode_leaves_it() {
        let mut a = AckState::new(1460, 65535);
        a.data_received(Instant::from_millis(1), 4, 1460, 65535);
        a.enter_pingpong_mode();
        a.timer_fired();
        assert!(!a.in_pingpong_mode() && a.now);
    }
}
