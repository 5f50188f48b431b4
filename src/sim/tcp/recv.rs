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
                self.abort(false, out);
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
                    if let Some(peer_mss) = seg.mss {
                        self.mss = self.local_mss.min(peer_mss);
                    }
                    self.disarm_all(out); // the SYN needs no retransmission
                    self.set_state(State::Established, out);
                    self.ack_due = true;
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
        self.process_ack(seg, now, cfg, out);
        if self.state == State::Closed {
            return;
        }
        if !seg.payload.is_empty() && !self.process_data(seg, out) {
            return;
        }
        self.process_fin(seg, now, cfg, out);
    }

    /// ACK: the peer has everything before `seg.ack`; its window is `seg.window`.
    fn process_ack(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        if seg.flags.ack && seg.ack > self.snd_una && seg.ack <= self.snd_nxt {
            let acked = seg.ack - self.snd_una;
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
            // A probe byte that is acknowledged was accepted.
            if self.snd_una == self.snd_nxt {
                self.probe_outstanding = false;
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
                // The window is open: stop probing, and send again from SND.UNA
                // if a probe byte may have been refused (duplicates are trimmed
                // by the receiver, so this is always safe).
                if self.probe_outstanding {
                    self.snd_nxt = self.snd_una;
                    self.probe_outstanding = false;
                }
                self.disarm(TimerKind::Persist, out);
                self.persist_backoff = cfg.persist_first;
            }
            out.poll = true;
        }
    }

    /// Data: stores what is new and fits the window. Returns `false` when
    /// the segment ends here (the connection was reset, or the data came
    /// after the peer's FIN).
    fn process_data(&mut self, seg: &Segment, out: &mut Out) -> bool {
        if !matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        ) {
            return false; // after the peer's FIN there is no more data
        }
        if self.app_closed {
            // Nobody will ever read these bytes: Linux resets the connection.
            self.abort(true, out);
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
                self.rcv_nxt = self.rcv_nxt + n;
                self.buffer_event(out, BufferSide::Recv, BufferCause::Arrived, n as i64);
                out.wake = true;
            } else {
                out.events.push(EventKind::SegmentDropped {
                    segment: seg.clone(),
                    reason: DropReason::OutsideWindow,
                });
            }
        }
        self.ack_due = true;
        out.poll = true;
        true
    }

    /// FIN: accepted only when every byte before it has been.
    fn process_fin(&mut self, seg: &Segment, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        if seg.flags.fin && seg.seq + seg.payload.len() == self.rcv_nxt && !self.fin_received {
            self.rcv_nxt = self.rcv_nxt + 1;
            self.fin_received = true;
            self.ack_due = true;
            out.poll = true;
            out.wake = true;
            match self.state {
                State::Established => self.set_state(State::CloseWait, out),
                State::FinWait1 => self.set_state(State::Closing, out),
                State::FinWait2 => self.enter_time_wait(now, cfg, out),
                _ => {}
            }
        } else if seg.flags.fin && self.state == State::TimeWait {
            self.ack_due = true; // a repeated FIN: our ACK was lost; answer again
            out.poll = true;
        }
    }
}
