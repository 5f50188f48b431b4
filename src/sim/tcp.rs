//! A TCP stream socket: the connection state machine of RFC 9293, with a send
//! buffer, a receive buffer and the sequence variables.
//!
//! The socket is sans-IO: [`TcpSocket::process`] takes a segment that arrived,
//! [`TcpSocket::dispatch`] says which segments to put on the wire now, and
//! both report what else must happen (wake a thread, arm a timer) in an
//! [`Out`]. The kernel ([`super::kernel`]) carries that out.

use super::event::{
    BufferCause, BufferSide, DropReason, EventKind, HostId, Log, Origin, SendReason, SockId,
    SysError, TimerKind,
};
use super::ring_buffer::RingBuffer;
use super::segment::{Endpoint, Flags, Segment, SeqNumber};
use super::time::{Duration, Instant};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The connection states, named as RFC 9293 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum State {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Closed => "CLOSED",
            State::Listen => "LISTEN",
            State::SynSent => "SYN-SENT",
            State::SynReceived => "SYN-RECEIVED",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::CloseWait => "CLOSE-WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST-ACK",
            State::TimeWait => "TIME-WAIT",
        })
    }
}

/// TCP's knobs. The lessons use small values so that effects are visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcpConfig {
    /// Maximum segment size this host announces in its SYN.
    pub mss: u16,
    /// First SYN retransmission timeout (doubles on every retry).
    pub syn_rto: Duration,
    /// SYN retransmissions before `connect()` fails with `TimeoutError`.
    pub syn_retries: u8,
    /// First persist (zero-window probe) interval; doubles up to `persist_max`.
    pub persist_first: Duration,
    pub persist_max: Duration,
    /// How long TIME-WAIT lasts (2 MSL; short in simulated time).
    pub time_wait: Duration,
}

impl Default for TcpConfig {
    fn default() -> Self {
        TcpConfig {
            mss: 536,
            syn_rto: Duration::from_secs(1),
            syn_retries: 5,
            persist_first: Duration::from_millis(200),
            persist_max: Duration::from_secs(60),
            time_wait: Duration::from_secs(1),
        }
    }
}

/// What the kernel must do after the socket processed something.
#[derive(Debug, Default)]
pub(crate) struct Out {
    /// Segments to put on the wire, in order.
    pub segments: Vec<(Segment, SendReason)>,
    /// Timers to arm: (kind, when, generation).
    pub timers: Vec<(TimerKind, Instant, u32)>,
    /// Something a blocked thread may wait for changed.
    pub wake: bool,
    /// There may be something to send: schedule a dispatch.
    pub poll: bool,
    /// SYN-RECEIVED became ESTABLISHED: move to the accept queue.
    pub handshake_done: bool,
}

/// A connected (or connecting) TCP socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpSocket {
    pub(crate) host: HostId,
    pub(crate) id: SockId,
    state: State,
    pub local: Endpoint,
    pub remote: Endpoint,
    /// Bytes from SND.UNA on: sent but unacknowledged, then not yet sent.
    /// Invariant: `tx.len() >= data in flight (SND.NXT - SND.UNA, minus a sent FIN)`.
    pub tx: RingBuffer,
    /// Bytes received in order and not yet `recv()`ed. Its free space is the window.
    pub rx: RingBuffer,
    /// Initial send sequence number (ISS): random, so old segments of an
    /// earlier connection cannot be mistaken for this one's.
    pub iss: SeqNumber,
    /// Initial receive sequence number (IRS): the peer's ISS.
    pub irs: SeqNumber,
    /// SND.UNA: oldest sequence number not yet acknowledged.
    pub snd_una: SeqNumber,
    /// SND.NXT: next sequence number to send. Invariant: SND.UNA <= SND.NXT.
    pub snd_nxt: SeqNumber,
    /// SND.WND: the window the peer advertised in its latest ACK.
    pub snd_wnd: u16,
    /// RCV.NXT: next sequence number expected from the peer.
    pub rcv_nxt: SeqNumber,
    /// The window we advertised last (RCV.WND when we last sent).
    pub rcv_wnd_advertised: u16,
    /// RCV.NXT + RCV.WND when we last sent: the right edge we promised.
    pub(crate) rcv_adv_edge: SeqNumber,
    /// MSS: the largest payload we send: the smaller of ours and the peer's.
    pub mss: u16,
    /// The MSS we announce.
    pub(crate) local_mss: u16,
    /// The program will send nothing more (close or shutdown): FIN goes after the data.
    pub fin_queued: bool,
    /// Our FIN has been sent (it holds the sequence number SND.NXT - 1 until acked).
    pub fin_sent: bool,
    /// The peer's FIN arrived: after the buffer is drained, recv() returns b"".
    pub fin_received: bool,
    /// The program closed its fd: nobody will read any more.
    pub app_closed: bool,
    /// An ACK should be sent (data or FIN arrived).
    pub(crate) ack_due: bool,
    /// That ACK reopens a small or zero window.
    pub(crate) window_update_due: bool,
    syn_sent: bool,
    syn_rto: Duration,
    syn_tries: u8,
    /// A one-byte probe sits past a zero window.
    probe_outstanding: bool,
    persist_armed: bool,
    persist_backoff: Duration,
    /// Timers carry the generation they were armed with; a newer one cancels them.
    pub(crate) timer_gen: u32,
    /// The listening socket this connection came from (until accepted).
    pub listener: Option<SockId>,
    /// Why the connection failed, for the next call on it.
    pub error: Option<SysError>,
}

impl TcpSocket {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        host: HostId,
        id: SockId,
        local: Endpoint,
        remote: Endpoint,
        iss: SeqNumber,
        send_capacity: usize,
        recv_capacity: usize,
        cfg: &TcpConfig,
    ) -> Self {
        TcpSocket {
            host,
            id,
            state: State::Closed,
            local,
            remote,
            tx: RingBuffer::new(send_capacity),
            rx: RingBuffer::new(recv_capacity),
            iss,
            irs: SeqNumber(0),
            snd_una: iss,
            snd_nxt: iss,
            snd_wnd: 0,
            rcv_nxt: SeqNumber(0),
            rcv_wnd_advertised: 0,
            rcv_adv_edge: SeqNumber(0),
            mss: cfg.mss,
            local_mss: cfg.mss,
            fin_queued: false,
            fin_sent: false,
            fin_received: false,
            app_closed: false,
            ack_due: false,
            window_update_due: false,
            syn_sent: false,
            syn_rto: cfg.syn_rto,
            syn_tries: 0,
            probe_outstanding: false,
            persist_armed: false,
            persist_backoff: cfg.persist_first,
            timer_gen: 0,
            listener: None,
            error: None,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// Every state transition goes through here, so every one is logged.
    pub(crate) fn set_state(&mut self, to: State, log: &mut Log) {
        if self.state != to {
            let from = self.state;
            self.state = to;
            log.push(
                Origin::socket(self.host, self.id),
                EventKind::State { from, to },
            );
        }
    }

    fn buffer_event(&self, log: &mut Log, side: BufferSide, cause: BufferCause, delta: i64) {
        let b = match side {
            BufferSide::Send => &self.tx,
            BufferSide::Recv => &self.rx,
        };
        log.push(
            Origin::socket(self.host, self.id),
            EventKind::Buffer {
                side,
                cause,
                delta,
                len: b.len(),
                capacity: b.capacity(),
            },
        );
    }

    /// Free space of the receive buffer, as the 16-bit window field carries it
    /// (no window scaling in this model).
    pub fn window(&self) -> u16 {
        self.rx.window().min(u16::MAX as usize) as u16
    }

    /// Bytes sent and not yet acknowledged (payload only, not SYN or FIN).
    pub fn data_in_flight(&self) -> usize {
        if !self.is_synchronized() && self.state != State::Closed {
            return 0; // only the SYN is outstanding
        }
        let outstanding = self.snd_nxt.distance_from(self.snd_una).max(0) as usize;
        outstanding.saturating_sub((self.fin_sent && self.snd_nxt > self.snd_una) as usize)
    }

    /// Bytes in the send buffer the kernel has not sent yet.
    pub fn unsent(&self) -> usize {
        self.tx.len().saturating_sub(self.data_in_flight())
    }

    /// Is the connection synchronized (handshake done, not yet closed)?
    pub fn is_synchronized(&self) -> bool {
        !matches!(
            self.state,
            State::Closed | State::Listen | State::SynSent | State::SynReceived
        )
    }

    /// May the program still `send()`? Not after close/shutdown or a reset.
    pub fn can_send(&self) -> bool {
        matches!(self.state, State::Established | State::CloseWait) && !self.fin_queued
    }

    /// `connect()`: the active open. SYN-SENT now; the SYN goes out on dispatch.
    pub(crate) fn connect(&mut self, log: &mut Log, out: &mut Out) {
        self.set_state(State::SynSent, log);
        out.poll = true;
    }

    /// A SYN reached a listening socket: this new socket answers it (passive open).
    pub(crate) fn accept_syn(&mut self, syn: &Segment, log: &mut Log, out: &mut Out) {
        self.irs = syn.seq;
        self.rcv_nxt = syn.seq + 1;
        self.snd_wnd = syn.window;
        if let Some(peer_mss) = syn.mss {
            self.mss = self.local_mss.min(peer_mss);
        }
        self.set_state(State::SynReceived, log);
        out.poll = true;
    }

    fn make_segment(&mut self, seq: SeqNumber, flags: Flags, payload: Vec<u8>) -> Segment {
        let window = self.window();
        self.rcv_wnd_advertised = window;
        self.rcv_adv_edge = self.rcv_nxt + window as usize;
        self.ack_due = false;
        self.window_update_due = false;
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
            mss: if flags.syn {
                Some(self.local_mss)
            } else {
                None
            },
            payload,
        }
    }

    fn ack_flags() -> Flags {
        Flags {
            ack: true,
            ..Flags::default()
        }
    }

    /// The right edge of the window we promised: the peer may send up to here,
    /// and we must keep room for it (the window never shrinks, RFC 9293 §3.8.6.2.2).
    pub fn promised_bytes(&self) -> usize {
        self.rcv_adv_edge.distance_from(self.rcv_nxt).max(0) as usize
    }

    /// Puts on the wire what TCP allows now. The rules, in order:
    /// - SYN / SYN-ACK once per (re)try;
    /// - data: segments of at most MSS and at most the usable window
    ///   (SND.UNA + SND.WND - SND.NXT), from the send buffer;
    /// - FIN once every queued byte has been sent;
    /// - else a pure ACK if one is due.
    ///
    /// Unsent data facing a zero window arms the persist timer.
    pub(crate) fn dispatch(&mut self, now: Instant, _cfg: &TcpConfig, out: &mut Out) {
        let sent_before = out.segments.len();
        match self.state {
            State::SynSent if !self.syn_sent => {
                self.syn_sent = true;
                let seg = self.make_segment(
                    self.iss,
                    Flags {
                        syn: true,
                        ..Flags::default()
                    },
                    vec![],
                );
                self.snd_nxt = self.iss + 1;
                let reason = if self.syn_tries == 0 {
                    SendReason::Syn
                } else {
                    SendReason::SynRetransmit
                };
                out.segments.push((seg, reason));
                out.timers
                    .push((TimerKind::SynRetransmit, now + self.syn_rto, self.timer_gen));
            }
            State::SynReceived if !self.syn_sent => {
                self.syn_sent = true;
                let seg = self.make_segment(
                    self.iss,
                    Flags {
                        syn: true,
                        ack: true,
                        ..Flags::default()
                    },
                    vec![],
                );
                self.snd_nxt = self.iss + 1;
                out.segments.push((seg, SendReason::SynAck));
            }
            State::Established
            | State::CloseWait
            | State::FinWait1
            | State::LastAck
            | State::Closing
                if !self.fin_sent =>
            {
                loop {
                    let usable = (self.snd_una + self.snd_wnd as usize)
                        .distance_from(self.snd_nxt)
                        .max(0) as usize;
                    let n = self.unsent().min(usable).min(self.mss as usize);
                    if n == 0 {
                        break;
                    }
                    let mut payload = vec![0; n];
                    self.tx.read_allocated(self.data_in_flight(), &mut payload);
                    let psh = n == self.unsent();
                    let seg = self.make_segment(
                        self.snd_nxt,
                        Flags {
                            ack: true,
                            psh,
                            ..Flags::default()
                        },
                        payload,
                    );
                    self.snd_nxt = self.snd_nxt + n;
                    out.segments.push((seg, SendReason::Data));
                }
                if self.fin_queued && self.unsent() == 0 && !self.probe_outstanding {
                    let seg = self.make_segment(
                        self.snd_nxt,
                        Flags {
                            fin: true,
                            ack: true,
                            ..Flags::default()
                        },
                        vec![],
                    );
                    self.snd_nxt = self.snd_nxt + 1;
                    self.fin_sent = true;
                    out.segments.push((seg, SendReason::Fin));
                }
                if self.unsent() > 0
                    && self.snd_wnd == 0
                    && !self.persist_armed
                    && !self.probe_outstanding
                {
                    self.persist_armed = true;
                    out.timers.push((
                        TimerKind::Persist,
                        now + self.persist_backoff,
                        self.timer_gen,
                    ));
                }
            }
            _ => {}
        }
        if out.segments.len() == sent_before && self.ack_due && self.state != State::Closed {
            let reason = if self.window_update_due {
                SendReason::WindowUpdate
            } else {
                SendReason::Ack
            };
            let seg = self.make_segment(self.snd_nxt, Self::ack_flags(), vec![]);
            out.segments.push((seg, reason));
        }
    }

    /// A timer armed with generation `gen` fired.
    pub(crate) fn on_timer(
        &mut self,
        kind: TimerKind,
        gen: u32,
        now: Instant,
        cfg: &TcpConfig,
        log: &mut Log,
        out: &mut Out,
    ) -> bool {
        if gen != self.timer_gen {
            return false; // cancelled: a newer state made it pointless
        }
        match kind {
            TimerKind::SynRetransmit if self.state == State::SynSent => {
                log.push(
                    Origin::socket(self.host, self.id),
                    EventKind::Timer { timer: kind },
                );
                self.syn_tries += 1;
                if self.syn_tries > cfg.syn_retries {
                    self.error = Some(SysError::TimedOut);
                    self.set_state(State::Closed, log);
                    out.wake = true;
                } else {
                    self.syn_rto = self.syn_rto.doubled();
                    self.syn_sent = false;
                    self.dispatch(now, cfg, out);
                }
                true
            }
            TimerKind::Persist if self.persist_armed => {
                self.persist_armed = false;
                if self.snd_wnd != 0
                    || self.tx.is_empty()
                    || !self.is_synchronized()
                    || self.fin_sent
                {
                    return false;
                }
                log.push(
                    Origin::socket(self.host, self.id),
                    EventKind::Timer { timer: kind },
                );
                // Nothing but (perhaps) an earlier probe is in flight when the
                // window is zero, so go back to SND.UNA and probe with one byte.
                self.snd_nxt = self.snd_una;
                let mut payload = vec![0; 1];
                self.tx.read_allocated(0, &mut payload);
                let seg = self.make_segment(self.snd_nxt, Self::ack_flags(), payload);
                self.snd_nxt = self.snd_nxt + 1;
                self.probe_outstanding = true;
                out.segments.push((seg, SendReason::ZeroWindowProbe));
                self.persist_backoff = self.persist_backoff.doubled().min(cfg.persist_max);
                self.persist_armed = true;
                out.timers.push((
                    TimerKind::Persist,
                    now + self.persist_backoff,
                    self.timer_gen,
                ));
                true
            }
            TimerKind::TimeWait if self.state == State::TimeWait => {
                log.push(
                    Origin::socket(self.host, self.id),
                    EventKind::Timer { timer: kind },
                );
                self.set_state(State::Closed, log);
                out.wake = true;
                true
            }
            _ => false,
        }
    }

    fn enter_time_wait(&mut self, now: Instant, cfg: &TcpConfig, log: &mut Log, out: &mut Out) {
        self.set_state(State::TimeWait, log);
        self.timer_gen += 1;
        out.timers
            .push((TimerKind::TimeWait, now + cfg.time_wait, self.timer_gen));
    }

    /// Aborts the connection (RST): sends one if `send_rst`, and is CLOSED.
    pub(crate) fn abort(&mut self, send_rst: bool, log: &mut Log, out: &mut Out) {
        if send_rst && self.state != State::Closed {
            let seg = self.make_segment(
                self.snd_nxt,
                Flags {
                    rst: true,
                    ack: true,
                    ..Flags::default()
                },
                vec![],
            );
            out.segments.push((seg, SendReason::Rst));
        }
        self.timer_gen += 1;
        self.set_state(State::Closed, log);
        out.wake = true;
    }

    /// A segment for this connection arrived (RFC 9293 §3.10.7, simplified to
    /// a network that does not reorder). Returns nothing; effects go to `out`.
    pub(crate) fn process(
        &mut self,
        seg: &Segment,
        now: Instant,
        cfg: &TcpConfig,
        log: &mut Log,
        out: &mut Out,
    ) {
        if seg.flags.rst {
            if self.state != State::Closed && self.state != State::TimeWait {
                // A reset answering our SYN means nobody listens there.
                self.error = Some(if self.state == State::SynSent {
                    SysError::ConnectionRefused
                } else {
                    SysError::ConnectionReset
                });
                self.abort(false, log, out);
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
                    if let Some(peer_mss) = seg.mss {
                        self.mss = self.local_mss.min(peer_mss);
                    }
                    self.timer_gen += 1; // cancels the SYN retransmission
                    self.set_state(State::Established, log);
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
                    self.set_state(State::Established, log);
                    out.handshake_done = true;
                } else {
                    return;
                }
            }
            State::Closed | State::Listen => return,
            _ => {}
        }

        // --- ACK: the peer has everything before seg.ack. ---
        if seg.flags.ack && seg.ack > self.snd_una && seg.ack <= self.snd_nxt {
            let acked = seg.ack - self.snd_una;
            let fin_acked = self.fin_sent && seg.ack == self.snd_nxt;
            let data_acked = acked - fin_acked as usize;
            self.snd_una = seg.ack;
            if data_acked > 0 {
                self.tx.dequeue_allocated(data_acked);
                self.buffer_event(
                    log,
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
                    State::FinWait1 => self.set_state(State::FinWait2, log),
                    State::Closing => self.enter_time_wait(now, cfg, log, out),
                    State::LastAck => {
                        self.set_state(State::Closed, log);
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
                if self.persist_armed {
                    self.persist_armed = false;
                    self.timer_gen += 1;
                }
                self.persist_backoff = cfg.persist_first;
            }
            out.poll = true;
        }
        if self.state == State::Closed {
            return;
        }

        // --- Data: store what is new and fits the window. ---
        if !seg.payload.is_empty() {
            if !matches!(
                self.state,
                State::Established | State::FinWait1 | State::FinWait2
            ) {
                return; // after the peer's FIN there is no more data
            }
            if self.app_closed {
                // Nobody will ever read these bytes: Linux resets the connection.
                self.abort(true, log, out);
                return;
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
                    self.buffer_event(log, BufferSide::Recv, BufferCause::Arrived, n as i64);
                    out.wake = true;
                } else {
                    log.push(
                        Origin::socket(self.host, self.id),
                        EventKind::SegmentDropped {
                            segment: seg.clone(),
                            reason: DropReason::OutsideWindow,
                        },
                    );
                }
            }
            self.ack_due = true;
            out.poll = true;
        }

        // --- FIN: accepted only when every byte before it has been. ---
        if seg.flags.fin && seg.seq + seg.payload.len() == self.rcv_nxt && !self.fin_received {
            self.rcv_nxt = self.rcv_nxt + 1;
            self.fin_received = true;
            self.ack_due = true;
            out.poll = true;
            out.wake = true;
            match self.state {
                State::Established => self.set_state(State::CloseWait, log),
                State::FinWait1 => self.set_state(State::Closing, log),
                State::FinWait2 => self.enter_time_wait(now, cfg, log, out),
                _ => {}
            }
        } else if seg.flags.fin && self.state == State::TimeWait {
            self.ack_due = true; // a repeated FIN: our ACK was lost; answer again
            out.poll = true;
        }
    }

    /// `send()`: copies what fits into the send buffer. Returns the count.
    pub(crate) fn app_send(&mut self, data: &[u8], log: &mut Log, out: &mut Out) -> usize {
        let n = self.tx.enqueue_slice(data).unwrap_or(0);
        if n > 0 {
            self.buffer_event(log, BufferSide::Send, BufferCause::AppSend, n as i64);
            out.poll = true;
        }
        n
    }

    /// `recv(max)`: takes up to `max` bytes. `None` means "would block".
    /// `Some(empty)` after the peer's FIN once the buffer is drained.
    pub(crate) fn app_recv(&mut self, max: usize, log: &mut Log, out: &mut Out) -> Option<Vec<u8>> {
        if self.rx.is_empty() {
            return if self.fin_received || self.state == State::Closed {
                Some(vec![])
            } else {
                None
            };
        }
        let mut data = vec![0; max.min(self.rx.len())];
        let n = self.rx.dequeue_slice(&mut data).unwrap_or(0);
        data.truncate(n);
        self.buffer_event(log, BufferSide::Recv, BufferCause::AppRecv, -(n as i64));
        // Receiver-side silly window avoidance: tell the peer about the new
        // room only once it is worth a segment (or the window had closed).
        let threshold = (self.mss as usize).min(self.rx.capacity() / 2).max(1);
        if (self.rcv_wnd_advertised as usize) < threshold
            && self.rx.window() >= threshold
            && !self.fin_received
        {
            self.ack_due = true;
            self.window_update_due = true;
            out.poll = true;
        }
        Some(data)
    }

    /// `close()` or `shutdown(SHUT_WR)`: queue a FIN after the buffered bytes.
    pub(crate) fn app_shutdown_write(&mut self, log: &mut Log, out: &mut Out) {
        if self.fin_queued {
            return;
        }
        self.fin_queued = true;
        match self.state {
            State::Established => self.set_state(State::FinWait1, log),
            State::CloseWait => self.set_state(State::LastAck, log),
            _ => {}
        }
        out.poll = true;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    pub(crate) fn pair(cap: usize, mss: u16) -> (TcpSocket, TcpSocket, TcpConfig, Log) {
        let cfg = TcpConfig {
            mss,
            ..TcpConfig::default()
        };
        let a = Endpoint::new(Ipv4Addr::new(10, 0, 0, 2), 40000);
        let b = Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 8080);
        let client = TcpSocket::new(HostId(1), SockId(0), a, b, SeqNumber(1000), cap, cap, &cfg);
        let server = TcpSocket::new(
            HostId(0),
            SockId(1),
            b,
            a,
            SeqNumber(u32::MAX - 2),
            cap,
            cap,
            &cfg,
        );
        (client, server, cfg, Log::default())
    }

    /// Runs the handshake by hand: SYN, SYN-ACK, ACK.
    pub(crate) fn establish(c: &mut TcpSocket, s: &mut TcpSocket, cfg: &TcpConfig, log: &mut Log) {
        let mut out = Out::default();
        c.connect(log, &mut out);
        c.dispatch(Instant::ZERO, cfg, &mut out);
        let syn = out.segments.remove(0).0;
        assert!(syn.flags.syn && syn.mss == Some(cfg.mss));
        s.accept_syn(&syn, log, &mut out);
        s.dispatch(Instant::ZERO, cfg, &mut out);
        let synack = out.segments.remove(0).0;
        assert!(synack.flags.syn && synack.flags.ack && synack.ack == c.iss + 1);
        c.process(&synack, Instant::ZERO, cfg, log, &mut out);
        assert_eq!(c.state(), State::Established);
        c.dispatch(Instant::ZERO, cfg, &mut out);
        let ack = out.segments.remove(0).0;
        let mut out2 = Out::default();
        s.process(&ack, Instant::ZERO, cfg, log, &mut out2);
        assert!(out2.handshake_done);
        assert_eq!(s.state(), State::Established);
    }

    fn sent(out: &mut Out) -> Vec<Segment> {
        out.segments.drain(..).map(|(s, _)| s).collect()
    }

    #[test]
    fn every_transition_is_logged_by_set_state() {
        let (mut c, mut s, cfg, mut log) = pair(64, 536);
        establish(&mut c, &mut s, &cfg, &mut log);
        let states: Vec<_> = log
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::State { from, to } => Some((e.host.unwrap().0, from, to)),
                _ => None,
            })
            .collect();
        assert_eq!(
            states,
            vec![
                (1, State::Closed, State::SynSent),
                (0, State::Closed, State::SynReceived),
                (1, State::SynSent, State::Established),
                (0, State::SynReceived, State::Established),
            ]
        );
    }

    #[test]
    fn segments_are_at_most_mss_and_at_most_the_peer_window() {
        let (mut c, mut s, cfg, mut log) = pair(16, 6);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut out = Out::default();
        assert_eq!(
            c.app_send(b"0123456789abcdefXYZ", &mut log, &mut out),
            16,
            "send buffer holds 16"
        );
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        let segs = sent(&mut out);
        // Window 16 (server buffer), MSS 6: 6 + 6 + 4, then nothing until ACKed.
        let lens: Vec<_> = segs.iter().map(|s| s.payload.len()).collect();
        assert_eq!(lens, vec![6, 6, 4]);
        assert_eq!(c.snd_nxt - c.snd_una, 16);
        assert_eq!(c.tx.len(), 16, "sent bytes stay until acknowledged");
    }

    #[test]
    fn ack_frees_send_buffer_space_and_zero_window_arms_persist() {
        let (mut c, mut s, cfg, mut log) = pair(8, 4);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut out = Out::default();
        c.app_send(b"abcdefgh", &mut log, &mut out);
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        for seg in sent(&mut out) {
            s.process(&seg, Instant::ZERO, &cfg, &mut log, &mut out);
        }
        assert_eq!(s.rx.window(), 0);
        s.dispatch(Instant::ZERO, &cfg, &mut out);
        let ack = sent(&mut out).pop().unwrap();
        assert_eq!(
            (ack.window, ack.ack),
            (0, c.snd_nxt),
            "full buffer: window 0"
        );
        c.process(&ack, Instant::ZERO, &cfg, &mut log, &mut out);
        assert_eq!(c.tx.len(), 0, "the ACK freed all 8 bytes");
        c.app_send(b"ij", &mut log, &mut out);
        out.timers.clear();
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        assert!(
            out.segments.is_empty(),
            "nothing may be sent into a zero window"
        );
        assert_eq!(
            out.timers,
            vec![(
                TimerKind::Persist,
                Instant::ZERO + cfg.persist_first,
                c.timer_gen
            )]
        );
    }

    #[test]
    fn zero_window_probe_is_refused_then_recv_reopens_the_window() {
        let (mut c, mut s, cfg, mut log) = pair(4, 4);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut out = Out::default();
        c.app_send(b"abcd", &mut log, &mut out);
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        let data = sent(&mut out).pop().unwrap();
        s.process(&data, Instant::ZERO, &cfg, &mut log, &mut out);
        s.dispatch(Instant::ZERO, &cfg, &mut out);
        c.process(
            &sent(&mut out).pop().unwrap(),
            Instant::ZERO,
            &cfg,
            &mut log,
            &mut out,
        );
        c.app_send(b"ef", &mut log, &mut out);
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        let gen = c.timer_gen;
        out.timers.clear();
        // The persist timer fires: a one-byte probe.
        assert!(c.on_timer(
            TimerKind::Persist,
            gen,
            Instant(1),
            &cfg,
            &mut log,
            &mut out
        ));
        let probe = sent(&mut out).pop().unwrap();
        assert_eq!(probe.payload, b"e");
        s.process(&probe, Instant(1), &cfg, &mut log, &mut out);
        assert_eq!(
            s.rx.to_vec(),
            b"abcd",
            "the probe byte did not fit and was dropped"
        );
        s.dispatch(Instant(1), &cfg, &mut out);
        let refusal = sent(&mut out).pop().unwrap();
        assert_eq!(refusal.window, 0);
        c.process(&refusal, Instant(1), &cfg, &mut log, &mut out);
        // The program reads: the window reopens and a window update goes out.
        assert_eq!(s.app_recv(1024, &mut log, &mut out).unwrap(), b"abcd");
        s.dispatch(Instant(2), &cfg, &mut out);
        let (update, reason) = out.segments.pop().unwrap();
        assert_eq!((reason, update.window), (SendReason::WindowUpdate, 4));
        c.process(&update, Instant(2), &cfg, &mut log, &mut out);
        c.dispatch(Instant(2), &cfg, &mut out);
        let resent = sent(&mut out).pop().unwrap();
        assert_eq!(resent.payload, b"ef", "sending resumes at SND.UNA");
        s.process(&resent, Instant(2), &cfg, &mut log, &mut out);
        assert_eq!(s.app_recv(1024, &mut log, &mut out).unwrap(), b"ef");
    }

    #[test]
    fn recv_returns_up_to_n_blocks_when_empty_and_empty_bytes_after_fin() {
        let (mut c, mut s, cfg, mut log) = pair(64, 536);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut out = Out::default();
        assert_eq!(
            s.app_recv(10, &mut log, &mut out),
            None,
            "empty: would block"
        );
        c.app_send(b"hello", &mut log, &mut out);
        c.app_shutdown_write(&mut log, &mut out);
        assert_eq!(c.state(), State::FinWait1);
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        let segs = sent(&mut out);
        assert!(
            segs[1].flags.fin && segs[1].seq == segs[0].seq + 5,
            "FIN after the data"
        );
        for seg in &segs {
            s.process(seg, Instant::ZERO, &cfg, &mut log, &mut out);
        }
        assert_eq!(s.state(), State::CloseWait);
        assert_eq!(s.app_recv(3, &mut log, &mut out).unwrap(), b"hel");
        assert_eq!(s.app_recv(3, &mut log, &mut out).unwrap(), b"lo");
        assert_eq!(
            s.app_recv(3, &mut log, &mut out).unwrap(),
            b"",
            "drained + FIN = b''"
        );
    }

    #[test]
    fn four_way_close_walks_the_rfc_states_and_time_wait_expires() {
        let (mut c, mut s, cfg, mut log) = pair(64, 536);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut out = Out::default();
        let deliver = |from: &mut TcpSocket, to: &mut TcpSocket, log: &mut Log| {
            let mut o = Out::default();
            from.dispatch(Instant::ZERO, &cfg, &mut o);
            for (seg, _) in o.segments {
                to.process(&seg, Instant::ZERO, &cfg, log, &mut Out::default());
            }
        };
        c.app_shutdown_write(&mut log, &mut out);
        deliver(&mut c, &mut s, &mut log); // FIN →
        assert_eq!(s.state(), State::CloseWait);
        deliver(&mut s, &mut c, &mut log); // ← ACK
        assert_eq!(c.state(), State::FinWait2);
        s.app_shutdown_write(&mut log, &mut out);
        assert_eq!(s.state(), State::LastAck);
        deliver(&mut s, &mut c, &mut log); // ← FIN
        assert_eq!(c.state(), State::TimeWait);
        deliver(&mut c, &mut s, &mut log); // ACK →
        assert_eq!(s.state(), State::Closed);
        let gen = c.timer_gen;
        assert!(c.on_timer(
            TimerKind::TimeWait,
            gen,
            Instant(5),
            &cfg,
            &mut log,
            &mut Out::default()
        ));
        assert_eq!(c.state(), State::Closed);
    }

    #[test]
    fn simultaneous_close_goes_through_closing() {
        let (mut c, mut s, cfg, mut log) = pair(64, 536);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut oc = Out::default();
        let mut os = Out::default();
        c.app_shutdown_write(&mut log, &mut oc);
        s.app_shutdown_write(&mut log, &mut os);
        c.dispatch(Instant::ZERO, &cfg, &mut oc);
        s.dispatch(Instant::ZERO, &cfg, &mut os);
        let (fc, fs) = (sent(&mut oc).pop().unwrap(), sent(&mut os).pop().unwrap());
        c.process(&fs, Instant::ZERO, &cfg, &mut log, &mut oc);
        assert_eq!(c.state(), State::Closing);
        s.process(&fc, Instant::ZERO, &cfg, &mut log, &mut os);
        c.dispatch(Instant::ZERO, &cfg, &mut oc);
        s.process(
            &sent(&mut oc).pop().unwrap(),
            Instant::ZERO,
            &cfg,
            &mut log,
            &mut os,
        );
        assert_eq!(s.state(), State::TimeWait);
    }

    #[test]
    fn data_for_a_closed_program_resets_the_connection() {
        let (mut c, mut s, cfg, mut log) = pair(64, 536);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut out = Out::default();
        c.app_closed = true;
        c.app_shutdown_write(&mut log, &mut out);
        s.app_send(b"late", &mut log, &mut out);
        s.dispatch(Instant::ZERO, &cfg, &mut out);
        let data = sent(&mut out).pop().unwrap();
        c.process(&data, Instant::ZERO, &cfg, &mut log, &mut out);
        let (rst, reason) = out.segments.pop().unwrap();
        assert!(rst.flags.rst && reason == SendReason::Rst);
        assert_eq!(c.state(), State::Closed);
        s.process(&rst, Instant::ZERO, &cfg, &mut log, &mut out);
        assert_eq!(
            (s.state(), s.error),
            (State::Closed, Some(SysError::ConnectionReset))
        );
    }

    #[test]
    fn duplicate_bytes_are_trimmed_so_each_byte_is_stored_once() {
        let (mut c, mut s, cfg, mut log) = pair(64, 536);
        establish(&mut c, &mut s, &cfg, &mut log);
        let mut out = Out::default();
        c.app_send(b"abc", &mut log, &mut out);
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        let seg = sent(&mut out).pop().unwrap();
        s.process(&seg, Instant::ZERO, &cfg, &mut log, &mut out);
        s.process(&seg, Instant::ZERO, &cfg, &mut log, &mut out);
        assert_eq!(s.rx.to_vec(), b"abc");
    }

    #[test]
    fn syn_is_retransmitted_with_backoff_then_connect_times_out() {
        let (mut c, _s, cfg, mut log) = pair(64, 536);
        let mut out = Out::default();
        c.connect(&mut log, &mut out);
        c.dispatch(Instant::ZERO, &cfg, &mut out);
        let mut whens = vec![];
        for _ in 0..=cfg.syn_retries {
            let (_, at, gen) = out.timers.pop().unwrap();
            whens.push(at.0);
            out.segments.clear();
            c.on_timer(TimerKind::SynRetransmit, gen, at, &cfg, &mut log, &mut out);
        }
        assert_eq!(whens[0], 1_000_000);
        assert_eq!(whens[1], 3_000_000, "the timeout doubled: 1 s, then 2 s");
        assert_eq!(
            (c.state(), c.error),
            (State::Closed, Some(SysError::TimedOut))
        );
    }
}
