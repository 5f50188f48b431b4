//! The receive path: what an arriving segment changes (RFC 9293 §3.10.7,
//! "SEGMENT ARRIVES", simplified to a network that does not reorder).

use super::{Out, State, TcpConfig, TcpSocket};
use crate::sim::event::{BufferCause, BufferSide, DropReason, EventKind, SysError, TimerKind};
use crate::sim::net::segment::Segment;
use crate::sim::time::Instant;

impl TcpSocket {
    /// A segment for this connection arrived. Its effects go to `out`.
    pub(crate) fn process(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        if seg.flags.rst {
            if self.state != State::Closed && self.state != State::TimeWait {
                // A reset answering our SYN means nobody listens there.
                self.error = Some(if self.state == State::SynSent {
                    SysError::ConnectionRefused
                } else {
                    SysError::ConnectionReset
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
            // a keep-alive): answer at once with an ACK and the window.
            self.ack.now = true;
            self.ack_snd_check(now, out);
            return;
        }
        self.process_ack(seg, now, cfg, out);
        if self.state == State::Closed {
            return;
        }
        if !seg.payload.is_empty() && !self.process_data(seg, now, out) {
            return;
        }
        self.process_fin(seg, now, cfg, out);
        self.ack_snd_check(now, out);
    }

    /// ACK: the peer has everything before `seg.ack`; its window is `seg.window`.
    fn process_ack(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        if seg.flags.ack && seg.ack > self.snd_una && seg.ack <= self.snd_nxt {
            let acked = seg.ack - self.snd_una;
            self.write_ends.retain(|e| *e > seg.ack);
            let fin_acked = self.fin_sent && seg.ack == self.snd_nxt;
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
        if seg.flags.ack && seg.ack >= self.snd_una {
            self.snd_wnd = seg.window;
            if seg.window > 0 {
                // The window is open: stop probing.
                self.disarm(TimerKind::Persist, out);
                self.persist_backoff = cfg.persist_first;
            }
            out.poll = true;
        }
    }

    /// Data: stores what is new and fits the window. Returns `false` when
    /// the segment ends here (the connection was reset, or the data came
    /// after the peer's FIN).
    fn process_data(&mut self, seg: &Segment, now: Instant, out: &mut Out) -> bool {
        if !matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        ) {
            return false; // after the peer's FIN there is no more data
        }
        if self.app_closed {
            // Nobody will ever read these bytes: Linux resets the connection.
            self.abort(true, now, out);
            return false;
        }
        let start = seg.seq.distance_from(self.rcv_nxt);
        let end = start + seg.payload.len() as i64;
        if start <= 0 && end > 0 {
            let skip = (-start) as usize;
            let n = (seg.payload.len() - skip).min(self.rx.window());
            if n > 0 {
                self.rx
                    .enqueue_slice(&seg.payload[skip..skip + n])
                    .unwrap_or_else(|_| unreachable!("n fits the window"));
                for &o in &seg.write_ends {
                    let o = o as usize;
                    if o > skip && o <= skip + n {
                        self.read_marks.push(seg.seq + o);
                    }
                }
                self.rcv_nxt = self.rcv_nxt + n;
                self.buffer_event(out, BufferSide::Recv, BufferCause::Arrived, n as i64);
                out.wake = true;
                let advmss = usize::from(self.local_mss);
                let offered = usize::from(self.rcv_wnd_advertised);
                self.ack.data_received(now, n, advmss, offered);
                if skip > 0 {
                    // Partly a repeat: tell the sender at once what we have.
                    self.ack.now = true;
                }
            } else {
                out.events.push(EventKind::SegmentDropped {
                    segment: seg.clone(),
                    reason: DropReason::OutsideWindow,
                });
                // No room (a probe past a zero window): answer at once
                // with the window as it is.
                self.ack.now = true;
            }
        } else {
            // Old or out-of-order data: an immediate (duplicate) ACK.
            self.ack.now = true;
        }
        true
    }

    /// FIN: accepted only when every byte before it has been.
    fn process_fin(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        if seg.flags.fin && seg.seq + seg.payload.len() == self.rcv_nxt && !self.fin_received {
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
        } else if seg.flags.fin && self.state == State::TimeWait {
            self.ack.now = true; // a repeated FIN: our ACK was lost; answer again
        }
    }
}
