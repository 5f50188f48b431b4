//! The send path: which segments the socket puts on the wire, and when.

use super::{Out, Sent, State, TcpConfig, TcpSocket};
use crate::sim::event::{SendReason, TimerKind};
use crate::sim::net::segment::{Flags, Segment, SeqNumber};
use crate::sim::time::Instant;

impl TcpSocket {
    /// A segment from this socket. Every segment carries the current
    /// window and (but for the first SYN) an ACK, so sending one is also how
    /// the window is advertised and what was owed is acknowledged: the
    /// advertised edge, RCV.WUP and the delayed-ACK state are settled here.
    /// Where the program's `send()` calls end inside the `len` bytes from
    /// `seq` on, as offsets into that payload.
    fn write_ends_in(&self, seq: SeqNumber, len: usize) -> Vec<u32> {
        self.write_ends
            .iter()
            .filter(|e| **e > seq && **e <= seq + len)
            .map(|e| (*e - seq) as u32)
            .collect()
    }

    pub(super) fn make_segment(
        &mut self,
        now: Instant,
        seq: SeqNumber,
        flags: Flags,
        payload: Vec<u8>,
        out: &mut Out,
    ) -> Segment {
        let options = self.options(flags.syn, now);
        let window = match (&mut self.rmem, flags.syn) {
            // A SYN's window is not scaled: Linux offers the whole buffer's
            // window, in whole segments (`tcp_select_initial_window`).
            (Some(m), true) => {
                let mss = usize::from(self.local_mss);
                m.initial_window(mss).min(u16::MAX as usize) as u16
            }
            _ => {
                self.on_window_selected();
                self.window()
            }
        };
        self.rcv_wnd_advertised = window;
        self.rcv_adv_edge = self.rcv_nxt + window as usize;
        self.window_update_due = false;
        if flags.ack {
            self.rcv_wup = self.rcv_nxt;
            self.ack.ack_sent();
            self.disarm(TimerKind::DelayedAck, out);
        }
        Segment {
            src: self.local,
            dst: self.remote,
            seq,
            ack: if flags.ack {
                self.rcv_nxt
            } else {
                SeqNumber(0)
            },
            flags,
            window,
            options,
            payload,
            write_ends: vec![],
        }
    }

    fn ack_flags() -> Flags {
        Flags {
            ack: true,
            ..Flags::default()
        }
    }

    /// Puts on the wire what TCP allows now. The rules, in order:
    /// - SYN / SYN-ACK once per (re)try;
    /// - data: segments of at most MSS and at most the usable window
    ///   (SND.UNA + SND.WND - SND.NXT), from the send buffer, while fewer
    ///   than cwnd segments are in flight;
    /// - FIN once every queued byte has been sent;
    /// - else a pure ACK if one is due.
    ///
    /// Unsent data that could not go, with nothing in flight whose ACK
    /// would bring news of the window, arms the persist timer.
    pub(crate) fn dispatch(&mut self, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        let sent_before = out.segments.len();
        match self.state {
            State::SynSent if !self.syn_sent => {
                self.syn_sent = true;
                let seg = self.make_segment(
                    now,
                    self.iss,
                    Flags {
                        syn: true,
                        ..Flags::default()
                    },
                    vec![],
                    out,
                );
                self.snd_nxt = self.iss + 1;
                let reason = if self.syn_tries == 0 {
                    SendReason::Syn
                } else {
                    SendReason::SynRetransmit
                };
                out.segments.push((seg, reason));
                self.arm(TimerKind::SynRetransmit, now + self.syn_rto, out);
            }
            State::SynReceived if !self.syn_sent => {
                self.syn_sent = true;
                let seg = self.make_segment(
                    now,
                    self.iss,
                    Flags {
                        syn: true,
                        ack: true,
                        ..Flags::default()
                    },
                    vec![],
                    out,
                );
                self.snd_nxt = self.iss + 1;
                let reason = if self.synack_tries == 0 {
                    SendReason::SynAck
                } else {
                    SendReason::SynAckRetransmit
                };
                out.segments.push((seg, reason));
                self.arm(TimerKind::SynAckRetransmit, now + self.syn_rto, out);
            }
            State::Established
            | State::CloseWait
            | State::FinWait1
            | State::LastAck
            | State::Closing
                if !self.fin_sent =>
            {
                let sent_data = self.send_data(now, out);
                if self.fin_queued && self.unsent() == 0 && !self.fin_sent && self.cwnd_open() {
                    let seg = self.make_segment(
                        now,
                        self.snd_nxt,
                        Flags {
                            fin: true,
                            ack: true,
                            ..Flags::default()
                        },
                        vec![],
                        out,
                    );
                    self.on_sent(self.snd_nxt, 0, true, now, out);
                    self.snd_nxt = self.snd_nxt + 1;
                    self.fin_sent = true;
                    out.segments.push((seg, SendReason::Fin));
                }
                // Data waits and nothing is in flight to bring an ACK:
                // the persist timer will probe (`tcp_check_probe_timer`).
                if !sent_data
                    && self.unsent() > 0
                    && self.sent.is_empty()
                    && !self.timers.is_armed(TimerKind::Persist)
                {
                    let at = now + self.probe0_base(cfg);
                    self.arm(TimerKind::Persist, at, out);
                }
            }
            _ => {}
        }
        if out.segments.len() == sent_before && self.ack.now && self.state != State::Closed {
            let reason = if self.window_update_due {
                SendReason::WindowUpdate
            } else {
                SendReason::Ack
            };
            let seg = self.make_segment(now, self.snd_nxt, Self::ack_flags(), vec![], out);
            out.segments.push((seg, reason));
        }
    }

    /// Data, as Linux's `tcp_write_xmit` (6.10 and later) sends it. The
    /// unsent bytes are one block of at most `quota` segments (half of
    /// cwnd, at most what cwnd still allows: `tcp_grow_skb` merges what
    /// `send()` queued). A block goes only if its first segment (a full
    /// MSS, or all that is left) fits the window: a smaller window is not
    /// used here but by the persist timer ([`TcpSocket::write_wakeup`]),
    /// the sender's silly window avoidance. A block is cut at the window's
    /// right edge, so it may end in a segment smaller than the MSS; Nagle's
    /// algorithm (Linux's Minshall variant, on unless TCP_NODELAY) holds
    /// back such a small last segment, but not a FIN, while data is in
    /// flight and an earlier small segment is unacknowledged. The last
    /// segment of a block cut by the window, or of all the data, carries
    /// PSH; a FIN rides on the last data segment. Returns whether anything
    /// went out.
    fn send_data(&mut self, now: Instant, out: &mut Out) -> bool {
        let mss = self.mss as usize;
        let mut sent_any = false;
        loop {
            let in_flight = self.sent.len() as u32;
            let cwnd = self.cc.cwnd();
            if in_flight >= cwnd {
                break;
            }
            let quota = (cwnd / 2).max(1).min(cwnd - in_flight) as usize;
            let unsent = self.unsent();
            if unsent == 0 {
                break;
            }
            let usable = self.usable_window();
            let block = unsent.min(quota * mss);
            if block.min(mss) > usable {
                break; // rwnd-limited: the persist timer will use a small window
            }
            let is_tail = block == unsent;
            let fin_may_ride = is_tail && self.fin_queued;
            let small_unacked = self.snd_sml > self.snd_una && self.snd_sml <= self.snd_nxt;
            let nagle_holds = !self.nodelay && in_flight > 0 && small_unacked;
            let limit = if block <= mss {
                if is_tail && block < mss && !fin_may_ride && nagle_holds {
                    break;
                }
                block
            } else {
                // `tcp_mss_split_point`: up to the window's edge; Nagle
                // keeps back the small remainder (unless the FIN rides on it).
                let need = block.min(usable);
                let part = need % mss;
                let fin_rides = need == unsent && self.fin_queued;
                if part > 0 && nagle_holds && !fin_rides {
                    need - part
                } else {
                    need
                }
            };
            let cut_by_window = limit < block;
            let mut left = limit;
            while left > 0 {
                let n = left.min(mss);
                left -= n;
                let ends_block = left == 0;
                let last_data = ends_block && limit == unsent;
                let psh = ends_block && (last_data || cut_by_window);
                let fin = last_data && self.fin_queued;
                self.send_segment(n, (psh, fin), SendReason::Data, now, out);
            }
            sent_any = true;
            if self.fin_sent || cut_by_window {
                break;
            }
        }
        if self.sent.len() as u32 >= self.cc.cwnd() && self.unsent() > 0 {
            self.cwnd_limited = true;
        }
        sent_any
    }

    /// One new data segment of `n` bytes from SND.NXT, with PSH and FIN as
    /// given, sent for `reason` (or as `DataFin` when it carries the FIN).
    fn send_segment(
        &mut self,
        n: usize,
        (psh, fin): (bool, bool),
        reason: SendReason,
        now: Instant,
        out: &mut Out,
    ) {
        let seg = self.data_segment(self.snd_nxt, self.data_in_flight(), n, (psh, fin), now, out);
        self.on_sent(self.snd_nxt, n, fin, now, out);
        self.snd_nxt = self.snd_nxt + n;
        if n < self.mss as usize {
            self.snd_sml = self.snd_nxt;
        }
        let reason = if fin {
            self.snd_nxt = self.snd_nxt + 1;
            self.fin_sent = true;
            SendReason::DataFin
        } else {
            reason
        };
        self.ack.data_sent(now);
        out.segments.push((seg, reason));
    }

    /// A segment with ACK set carrying `len` bytes of the send buffer from
    /// `offset` (bytes past SND.UNA) at sequence number `seq`, with PSH and
    /// FIN as given; it records which of the program's writes end in it.
    fn data_segment(
        &mut self,
        seq: SeqNumber,
        offset: usize,
        len: usize,
        (psh, fin): (bool, bool),
        now: Instant,
        out: &mut Out,
    ) -> Segment {
        let mut payload = vec![0; len];
        self.tx.read_allocated(offset, &mut payload);
        let write_ends = self.write_ends_in(seq, len);
        let flags = Flags {
            ack: true,
            psh,
            fin,
            ..Flags::default()
        };
        let mut seg = self.make_segment(now, seq, flags, payload, out);
        seg.write_ends = write_ends;
        seg
    }

    /// The persist timer fired with data waiting and nothing in flight,
    /// and the window is not zero but smaller than a segment (Linux's
    /// `tcp_write_wakeup`): as much as it holds goes now, up to the MSS,
    /// with PSH.
    pub(super) fn write_wakeup(&mut self, usable: usize, now: Instant, out: &mut Out) {
        let n = usable.min(self.mss as usize).min(self.unsent());
        let fin = n == self.unsent() && self.fin_queued;
        self.send_segment(n, (true, fin), SendReason::PersistData, now, out);
    }

    /// The first persist interval (Linux's `tcp_probe0_base`): the
    /// retransmission timeout, at least 200 ms.
    pub(super) fn probe0_base(&self, cfg: &TcpConfig) -> crate::sim::time::Duration {
        self.rtt.rto().max(cfg.persist_first)
    }

    /// The persist interval after `persist_backoff` probes (`tcp_probe0_when`).
    pub(super) fn probe0_when(&self, cfg: &TcpConfig) -> crate::sim::time::Duration {
        let mut d = self.probe0_base(cfg);
        for _ in 0..self.persist_backoff {
            d = d.doubled().min(cfg.persist_max);
        }
        d
    }

    /// Congestion control lets another segment go: fewer than cwnd in
    /// flight (Linux's `tcp_cwnd_test`, in segments).
    fn cwnd_open(&self) -> bool {
        (self.sent.len() as u32) < self.cc.cwnd()
    }

    /// A new segment (data and/or FIN) went out: it joins the
    /// retransmission queue, may be timed for an RTT sample, and the
    /// retransmission timer runs if it was not running (RFC 6298 §5.1).
    fn on_sent(&mut self, seq: SeqNumber, len: usize, fin: bool, now: Instant, out: &mut Out) {
        let s = Sent { seq, len, fin };
        self.sent.push(s);
        if s.end() > self.snd_max {
            self.snd_max = s.end();
        }
        if fin {
            self.fin_seq = Some(seq + len);
        }
        self.max_out = self.max_out.max(self.sent.len() as u32);
        self.rtt.on_send(s.end(), now);
        // Data in flight: its ACK, or the retransmission timer, takes over.
        self.disarm(TimerKind::Persist, out);
        if !self.timers.is_armed(TimerKind::Retransmit) {
            self.arm(TimerKind::Retransmit, now + self.rtt.rto(), out);
        }
    }

    /// Sends the oldest unacknowledged segment again (from SND.UNA, as
    /// much of it as is still unacknowledged, with its FIN if it had one).
    /// Its round trip can no longer be timed (Karn's rule).
    pub(super) fn retransmit_head(&mut self, reason: SendReason, now: Instant, out: &mut Out) {
        let Some(head) = self.sent.first().copied() else {
            return;
        };
        let from = self.snd_una.distance_from(head.seq).max(0) as usize;
        let len = head.len.saturating_sub(from);
        let seg = self.data_segment(self.snd_una, 0, len, (len > 0, head.fin), now, out);
        self.rtt.on_retransmit();
        out.segments.push((seg, reason));
    }

    /// The persist timer fired on a zero window. Linux's probe carries no
    /// data: an ACK with the sequence number SND.UNA − 1, a byte the peer
    /// already has, which it must answer with an ACK showing its current
    /// window (Wireshark labels it a keep-alive). A byte past the window
    /// would only be dropped.
    pub(super) fn send_zero_window_probe(&mut self, now: Instant, out: &mut Out) {
        let seq = SeqNumber(self.snd_una.0.wrapping_sub(1));
        let seg = self.make_segment(now, seq, Self::ack_flags(), vec![], out);
        out.segments.push((seg, SendReason::ZeroWindowProbe));
    }

    /// A reset answering `seg` (RFC 9293 §3.10.7.1, Linux's
    /// `tcp_v4_send_reset`): never sent in answer to a RST. If `seg` has an
    /// ACK, the reset takes its sequence number from it and carries no ACK
    /// (a bare [RST]); otherwise its sequence number is zero and it
    /// acknowledges `seg` ([RST, ACK], the answer to a SYN nobody listens
    /// for).
    pub(crate) fn reset_for(seg: &Segment) -> Option<Segment> {
        if seg.flags.rst {
            return None;
        }
        let (seq, ack) = if seg.flags.ack {
            (seg.ack, SeqNumber(0))
        } else {
            (SeqNumber(0), seg.seq + seg.seq_len())
        };
        Some(Segment {
            src: seg.dst,
            dst: seg.src,
            seq,
            ack,
            flags: Flags {
                rst: true,
                ack: !seg.flags.ack,
                ..Flags::default()
            },
            window: 0,
            options: Default::default(),
            write_ends: vec![],
            payload: vec![],
        })
    }
}
