//! What each timer does when it fires (RFC 9293's timeouts, RFC 6298's
//! retransmission timeout), and the two ends a connection can come to
//! outside a normal close: TIME-WAIT and abort (RST).

use super::*;

impl TcpSocket {
    /// The timer `kind` is due at `now`. Returns whether it fired (a timer
    /// stopped or re-armed since, or one with nothing left to do, does not).
    pub(crate) fn on_timer(
        &mut self,
        kind: TimerKind,
        now: Instant,
        cfg: &TcpConfig,
        out: &mut Out,
    ) -> bool {
        if !self.timers.expire(kind, now) {
            return false;
        }
        match kind {
            TimerKind::SynRetransmit if self.state == State::SynSent => {
                out.events.push(EventKind::Timer { timer: kind });
                self.syn_tries += 1;
                // Linux's `tcp_write_timeout`: linear retries come on top
                // of `tcp_syn_retries`.
                if self.syn_tries > cfg.syn_retries.saturating_add(cfg.syn_linear_timeouts) {
                    self.error = Some(SysError::TimedOut);
                    self.set_state(State::Closed, out);
                    out.wake = true;
                } else {
                    // Linux's `tcp_retransmit_timer`: the timeout doubles
                    // only after the linear retries.
                    if self.syn_tries > cfg.syn_linear_timeouts {
                        self.syn_rto = self.syn_rto.doubled();
                    }
                    self.syn_sent = false;
                    self.dispatch(now, cfg, out);
                }
                true
            }
            TimerKind::SynAckRetransmit if self.state == State::SynReceived => {
                out.events.push(EventKind::Timer { timer: kind });
                self.synack_tries += 1;
                if self.synack_tries > cfg.synack_retries {
                    // Linux drops the half-open connection without a word.
                    self.set_state(State::Closed, out);
                    out.wake = true;
                } else {
                    self.syn_rto = self.syn_rto.doubled();
                    self.syn_sent = false;
                    self.dispatch(now, cfg, out);
                }
                true
            }
            TimerKind::Retransmit => {
                if self.sent.is_empty() || self.state == State::Closed {
                    return false;
                }
                out.events.push(EventKind::Timer { timer: kind });
                self.on_retransmission_timeout(now, cfg, out);
                true
            }
            TimerKind::Persist => {
                // Linux's `tcp_probe_timer`: only while data waits and
                // nothing is in flight.
                if self.unsent() == 0
                    || !self.sent.is_empty()
                    || !self.is_synchronized()
                    || self.fin_sent
                {
                    return false;
                }
                let usable = self.usable_window();
                if usable > 0 {
                    // A window too small for a segment: use it now (the
                    // segment's narration tells of the timer).
                    self.persist_backoff = 0;
                    self.write_wakeup(usable, now, out);
                } else {
                    out.events.push(EventKind::Timer { timer: kind });
                    self.send_zero_window_probe(now, out);
                    self.persist_backoff += 1;
                    let at = now + self.probe0_when(cfg);
                    self.arm(TimerKind::Persist, at, out);
                }
                true
            }
            TimerKind::DelayedAck => {
                if !self.ack.scheduled || self.state == State::Closed {
                    return false;
                }
                out.events.push(EventKind::Timer { timer: kind });
                self.ack.timer_fired();
                self.dispatch(now, cfg, out);
                true
            }
            TimerKind::TimeWait if self.state == State::TimeWait => {
                out.events.push(EventKind::Timer { timer: kind });
                self.set_state(State::Closed, out);
                out.wake = true;
                true
            }
            _ => false,
        }
    }

    /// RFC 6298 §5.4–5.6 and RFC 5681 §3.1: the oldest unacknowledged
    /// segment goes again, RTO doubles, cwnd falls to one segment, and
    /// everything sent after that segment counts as not sent (it will go
    /// again as the window reopens). After `retries` timeouts in a row the
    /// connection is given up: the program's next call raises TimeoutError.
    pub(super) fn on_retransmission_timeout(
        &mut self,
        now: Instant,
        cfg: &TcpConfig,
        out: &mut Out,
    ) {
        self.rto_retries += 1;
        if self.rto_retries > cfg.retries {
            out.events.push(EventKind::GaveUp {
                retries: cfg.retries,
            });
            self.error = Some(SysError::TimedOut);
            self.abort(false, now, out);
            return;
        }
        let in_flight = self.sent.len() as u32;
        self.cc.on_timeout(in_flight);
        self.rtt.on_timeout();
        self.congestion_event(CongestionCause::Timeout, out);
        self.sent.truncate(1);
        let head = self.sent[0];
        self.snd_nxt = head.end();
        self.fin_sent = head.fin;
        self.retransmit_head(SendReason::Retransmit, now, out);
        self.arm(TimerKind::Retransmit, now + self.rtt.rto(), out);
    }

    /// Reports the congestion window to the views.
    pub(super) fn congestion_event(&self, cause: CongestionCause, out: &mut Out) {
        out.events.push(EventKind::Congestion {
            cwnd: self.cc.cwnd(),
            ssthresh: self.cc.ssthresh(),
            phase: self.cc.phase(),
            cause,
            flight: self.data_in_flight(),
            peer_window: self.snd_wnd,
            mss: self.mss,
        });
    }

    pub(super) fn enter_time_wait(&mut self, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        self.set_state(State::TimeWait, out);
        self.disarm_all(out);
        self.arm(TimerKind::TimeWait, now + cfg.time_wait, out);
    }

    /// Aborts the connection (RST): sends one if `send_rst`, and is CLOSED.
    pub(super) fn abort(&mut self, send_rst: bool, now: Instant, out: &mut Out) {
        if send_rst && self.state != State::Closed {
            let seg = self.make_segment(
                now,
                self.snd_nxt,
                Flags {
                    rst: true,
                    ack: true,
                    ..Flags::default()
                },
                vec![],
                out,
            );
            out.segments.push((seg, SendReason::Rst));
        }
        self.disarm_all(out);
        self.set_state(State::Closed, out);
        out.wake = true;
    }
}
