//! The receive path: what an arriving segment changes (RFC 9293 §3.10.7,
//! "SEGMENT ARRIVES", simplified to a network that does not reorder).

use super::congestion::{Phase, Verdict};
use super::reassembly::Part;
use super::{Out, State, TcpConfig, TcpSocket};
use crate::sim::event::{
    BufferCause, BufferSide, CongestionCause, DropReason, EventKind, SendReason, SysError,
    TimerKind,
};
use crate::sim::net::segment::{Segment, SeqNumber};
use crate::sim::time::{Duration, Instant};

/// `net.ipv4.tcp_invalid_ratelimit`: the least time between two ACKs that
/// answer segments outside the window.
const OOW_ACK_INTERVAL: Duration = Duration::from_millis(500);

impl TcpSocket {
    /// A segment for this connection arrived. Its effects go to `out`.
    pub(crate) fn process(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        if seg.flags.rst {
            if self.state != State::Closed && self.state != State::TimeWait {
                // Linux's `tcp_reset`: a reset answering our SYN means
                // nobody listens there; after the peer's FIN (CLOSE-WAIT)
                // it means the peer is gone, and writing is a broken pipe.
                self.error = Some(match self.state {
                    State::SynSent => SysError::ConnectionRefused,
                    State::CloseWait => SysError::BrokenPipe,
                    _ => SysError::ConnectionReset,
                });
                self.abort(false, now, out);
            }
            return;
        }
        match self.state {
            State::SynSent => {
                if seg.flags.syn && seg.flags.ack && seg.ack == self.iss + 1 {
                    self.irs = seg.seq;
                    self.rcv_nxt = seg.seq + 1;
                    // Our SYN promised its window before the peer's sequence
                    // numbers were known: count it from here.
                    self.rcv_adv_edge = self.rcv_nxt + self.rcv_wnd_advertised as usize;
                    self.snd_una = seg.ack;
                    self.snd_wnd = seg.window;
                    self.negotiate(seg);
                    self.disarm_all(out); // the SYN needs no retransmission
                    self.set_state(State::Established, out);
                    // The handshake's last ACK goes at once.
                    self.ack.now = true;
                    out.poll = true;
                    out.wake = true;
                }
                return;
            }
            State::SynReceived => {
                if seg.flags.ack && seg.ack == self.iss + 1 {
                    self.snd_una = seg.ack;
                    self.snd_wnd = seg.window;
                    self.disarm(TimerKind::SynAckRetransmit, out);
                    self.set_state(State::Established, out);
                    out.handshake_done = true;
                } else {
                    return;
                }
            }
            State::Closed | State::Listen => return,
            _ => {}
        }
        self.store_ts_recent(seg);
        if seg.payload.is_empty()
            && !seg.flags.fin
            && seg.seq.distance_from(self.rcv_nxt) < 0
            && self.is_synchronized()
        {
            // An old sequence number and nothing new (a zero-window probe,
            // a keep-alive): answer at once with an ACK and the window, but
            // at most once per 500 ms (Linux's `tcp_oow_rate_limited`).
            if self
                .last_oow_ack
                .is_some_and(|at| now - at < OOW_ACK_INTERVAL)
            {
                out.events.push(EventKind::SegmentDropped {
                    segment: Box::new(seg.clone()),
                    reason: DropReason::AnswerRateLimited,
                });
                return;
            }
            self.last_oow_ack = Some(now);
            self.ack.now = true;
            self.ack_snd_check(now, out);
            return;
        }
        self.process_ack(seg, now, cfg, out);
        if self.state == State::Closed {
            return;
        }
        if !seg.payload.is_empty() && !self.process_data(seg, now, cfg, out) {
            return;
        }
        self.process_fin(seg, now, cfg, out);
        self.ack_snd_check(now, out);
    }

    /// ACK: the peer has everything before `seg.ack`; its window is
    /// `seg.window`. New data acknowledged frees the send buffer, gives an
    /// RTT sample, grows cwnd and restarts the retransmission timer; the
    /// same ACK again, with nothing else in it, is a duplicate ACK: the
    /// peer got something out of order, maybe because a segment was lost.
    fn process_ack(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        if !seg.flags.ack {
            return;
        }
        if seg.ack == self.snd_una
            && seg.payload.is_empty()
            && !seg.flags.syn
            && !seg.flags.fin
            && !self.sent.is_empty()
            && seg.window == self.snd_wnd
        {
            self.on_duplicate_ack(seg.ack, now, out);
        }
        if seg.ack > self.snd_una && seg.ack <= self.snd_max {
            let acked = seg.ack - self.snd_una;
            self.write_ends.retain(|e| *e > seg.ack);
            // After a timeout rewound SND.NXT, an ACK may cover bytes sent
            // before it: they need not go again.
            if seg.ack > self.snd_nxt {
                self.snd_nxt = seg.ack;
            }
            let fin_acked = self.fin_seq.is_some_and(|f| seg.ack == f + 1);
            if fin_acked {
                self.fin_sent = true;
            }
            let data_acked = acked - fin_acked as usize;
            self.snd_una = seg.ack;
            if data_acked > 0 {
                self.tx.dequeue_allocated(data_acked);
                self.buffer_event(
                    out,
                    BufferSide::Send,
                    BufferCause::Acked,
                    -(data_acked as i64),
                );
                out.wake = true;
            }
            self.on_new_ack(seg.ack, now, out);
            if fin_acked {
                match self.state {
                    State::FinWait1 => self.set_state(State::FinWait2, out),
                    State::Closing => self.enter_time_wait(now, cfg, out),
                    State::LastAck => {
                        self.set_state(State::Closed, out);
                        out.wake = true;
                    }
                    _ => {}
                }
            }
        }
        if seg.ack >= self.snd_una {
            self.snd_wnd = seg.window;
            self.max_window = self.max_window.max(usize::from(seg.window));
            if self.sent.is_empty() && self.unsent() > 0 && self.is_synchronized() {
                // Nothing in flight, data waiting (Linux's `tcp_ack_probe`):
                // if it all fits the window now, stop probing; else probe
                // again after the current interval.
                let usable = self.usable_window();
                if self.unsent() <= usable {
                    self.disarm(TimerKind::Persist, out);
                    self.persist_backoff = 0;
                } else if self.timers.is_armed(TimerKind::Persist) {
                    let at = now + self.probe0_when(cfg);
                    self.arm(TimerKind::Persist, at, out);
                }
            }
            out.poll = true;
        }
    }

    /// New data acknowledged up to `ack`.
    fn on_new_ack(&mut self, ack: SeqNumber, now: Instant, out: &mut Out) {
        let mut segments = 0;
        while self.sent.first().is_some_and(|s| s.end() <= ack) {
            self.sent.remove(0);
            segments += 1;
        }
        self.rtt.on_ack(ack, now);
        self.rto_retries = 0;
        // New data acknowledged: probing starts over (Linux resets
        // `icsk_backoff` with a valid RTT sample).
        self.persist_backoff = 0;
        let before = (self.cc.cwnd(), self.cc.phase());
        let limited = self.cwnd_limited
            || (self.cc.phase() == Phase::SlowStart && self.cc.cwnd() < 2 * self.max_out);
        let verdict = self.cc.on_new_ack(segments, ack, limited);
        if verdict == Verdict::Retransmit {
            self.congestion_event(CongestionCause::PartialAck, out);
            self.retransmit_head(SendReason::FastRetransmit, now, out);
        } else if before.1 == Phase::Recovery && self.cc.phase() != Phase::Recovery {
            self.congestion_event(CongestionCause::RecoveryDone, out);
        } else if before.0 != self.cc.cwnd() {
            self.congestion_event(CongestionCause::Acked, out);
        }
        if self.sent.is_empty() {
            self.disarm(TimerKind::Retransmit, out);
            // The window was not used up: the next round starts afresh.
            self.cwnd_limited = false;
            self.max_out = 0;
        } else {
            // RFC 6298 §5.3: restart the timer for what is still out.
            self.arm(TimerKind::Retransmit, now + self.rtt.rto(), out);
        }
    }

    /// A duplicate ACK: on the third, fast retransmit (RFC 5681 §3.2).
    fn on_duplicate_ack(&mut self, ack: SeqNumber, now: Instant, out: &mut Out) {
        let in_flight = self.sent.len() as u32;
        let verdict = self.cc.on_dupack(in_flight, self.snd_nxt);
        out.events.push(EventKind::DuplicateAck {
            ack,
            count: self.cc.dupacks(),
        });
        if verdict == Verdict::Retransmit {
            self.congestion_event(CongestionCause::FastRetransmit, out);
            self.retransmit_head(SendReason::FastRetransmit, now, out);
        } else if self.cc.phase() == Phase::Recovery {
            self.congestion_event(CongestionCause::DupAck, out);
        }
    }

    /// Data: stores what is new and fits the window. Bytes that continue
    /// the stream go to the receive buffer (and with them any held ones
    /// they now join up with); bytes ahead of a gap are held out of order
    /// and answered at once with a duplicate ACK. Returns `false` when the
    /// segment ends here (the connection was reset, or the data came after
    /// the peer's FIN).
    fn process_data(
        &mut self,
        seg: &Segment,
        now: Instant,
        cfg: &TcpConfig,
        out: &mut Out,
    ) -> bool {
        if !matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        ) {
            return false; // after the peer's FIN there is no more data
        }
        let start = seg.seq.distance_from(self.rcv_nxt);
        let end = start + seg.payload.len() as i64;
        if self.app_closed && end > 0 {
            // New bytes nobody will ever read: Linux resets the connection
            // (`tcp_rcv_state_process` returns 1 and `tcp_v4_send_reset`
            // answers this segment: a bare RST at its ACK number, not the
            // [RST, ACK] of an abort). A repeat of bytes already here is
            // only acknowledged.
            if let Some(rst) = Self::reset_for(seg) {
                out.segments.push((rst, SendReason::Rst));
            }
            self.abort(false, now, out);
            return false;
        }
        if start <= 0 && end > 0 {
            let skip = (-start) as usize;
            let n = (seg.payload.len() - skip).min(self.receive_room());
            if n > 0 {
                let ends: Vec<SeqNumber> = seg
                    .write_ends
                    .iter()
                    .map(|&o| seg.seq + o as usize)
                    .collect();
                self.enqueue_in_order(&seg.payload[skip..skip + n], &ends, out);
                let advmss = usize::from(self.local_mss);
                let offered = usize::from(self.rcv_wnd_advertised);
                self.ack.data_received(now, n, advmss, offered);
                if skip > 0 {
                    // Partly a repeat: tell the sender at once what we have.
                    self.ack.now = true;
                }
                if !self.ooo.is_empty() {
                    self.join_held(now, cfg, out);
                    // RFC 5681 §4.2: ACK at once when a gap is filled.
                    self.ack.now = true;
                }
            } else {
                out.events.push(EventKind::SegmentDropped {
                    segment: Box::new(seg.clone()),
                    reason: DropReason::OutsideWindow,
                });
                // No room (a probe past a zero window): answer at once
                // with the window as it is.
                self.ack.now = true;
            }
        } else if start > 0 {
            // Ahead of a gap: hold what fits the window, ACK at once (a
            // duplicate ACK: RCV.NXT has not moved).
            let room = (self.receive_room() as i64 - start).max(0) as usize;
            let n = seg.payload.len().min(room);
            if n > 0 {
                let data = seg.payload[..n].to_vec();
                let before = self.ooo.len();
                self.ooo.insert(Part {
                    seq: seg.seq,
                    data,
                    fin: seg.flags.fin && n == seg.payload.len(),
                    write_ends: seg
                        .write_ends
                        .iter()
                        .map(|&o| seg.seq + o as usize)
                        .collect(),
                });
                out.events.push(EventKind::OutOfOrder {
                    held: self.ooo.len(),
                    added: self.ooo.len() - before,
                });
            }
            self.ack.now = true;
        } else {
            // Old data, all of it already here: an immediate (duplicate) ACK.
            self.ack.now = true;
        }
        true
    }

    /// Bytes that continue the stream at RCV.NXT: into the receive buffer.
    fn enqueue_in_order(&mut self, data: &[u8], ends: &[SeqNumber], out: &mut Out) {
        let from = self.rcv_nxt;
        let n = self.rx.enqueue_slice(data).unwrap_or(0);
        if let Some(m) = &mut self.rmem {
            let advmss = usize::from(self.local_mss);
            let rcv_wnd = usize::from(self.rcv_wnd_advertised);
            if m.arrived(n, self.ack.rcv_mss(), advmss, rcv_wnd) {
                self.ack.quick_at_least_one();
            }
        }
        self.rcv_nxt = self.rcv_nxt + n;
        for &e in ends {
            if e > from && e <= self.rcv_nxt {
                self.read_marks.push(e);
            }
        }
        if n > 0 {
            self.buffer_event(out, BufferSide::Recv, BufferCause::Arrived, n as i64);
            out.wake = true;
        }
    }

    /// The gap before held bytes was filled: move every part that now
    /// continues the stream into the receive buffer (and take a held FIN).
    fn join_held(&mut self, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        while let Some(part) = self.ooo.take_next(self.rcv_nxt) {
            self.enqueue_in_order(&part.data, &part.write_ends, out);
            if part.fin && part.end() == self.rcv_nxt {
                self.accept_fin(now, cfg, out);
            }
        }
    }

    /// FIN: accepted only when every byte before it has been.
    fn process_fin(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        let at = seg.seq + seg.payload.len();
        if seg.flags.fin && at == self.rcv_nxt && !self.fin_received {
            self.accept_fin(now, cfg, out);
        } else if seg.flags.fin && at > self.rcv_nxt && seg.payload.is_empty() && !self.fin_received
        {
            // A FIN ahead of a gap: held until the bytes before it come.
            self.ooo.insert(Part {
                seq: at,
                data: vec![],
                fin: true,
                write_ends: vec![],
            });
            self.ack.now = true;
        } else if seg.flags.fin && self.state == State::TimeWait {
            self.ack.now = true; // a repeated FIN: our ACK was lost; answer again
        }
    }

    /// The peer's FIN, with every byte before it received.
    fn accept_fin(&mut self, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        {
            self.rcv_nxt = self.rcv_nxt + 1;
            self.fin_received = true;
            self.ack.scheduled = true;
            out.wake = true;
            match self.state {
                State::Established => {
                    // The program will likely close soon: its FIN can carry
                    // the ACK (Linux enters ping-pong mode here).
                    self.ack.enter_pingpong_mode();
                    self.set_state(State::CloseWait, out);
                }
                State::FinWait1 => {
                    self.ack.now = true;
                    self.set_state(State::Closing, out);
                }
                State::FinWait2 => {
                    self.ack.now = true;
                    self.enter_time_wait(now, cfg, out);
                }
                _ => {}
            }
        }
    }
}
