//! A TCP stream socket: the connection state machine of RFC 9293, with a send
//! buffer, a receive buffer, the sequence variables and the timers.
//!
//! The socket owns every rule of TCP in this model and nothing else: which
//! segment goes out when, what an arriving segment changes, when a timer is
//! armed and what it does, whether `close()` ends in FIN or RST, what a new
//! buffer size means for the window. It is sans-IO in the manner of
//! quinn-proto: each input is a method (`TcpSocket::process` for a segment
//! that arrived, `TcpSocket::on_timer`, the `app_*` calls a program makes),
//! `TcpSocket::dispatch` says what to put on the wire now, and everything
//! the kernel must carry out (log an event, transmit a segment, arm or stop a
//! timer, wake a thread) is queued in an `Out`. Its fields are private; the
//! views read them through accessors.
//!
//! - [`state`]: the RFC 9293 states and [`TcpConfig`].
//! - [`timer`]: one deadline per timer kind.
//! - `send`: the send path (`TcpSocket::dispatch`).
//! - `recv`: the receive path (`TcpSocket::process`).
//! - [`ring_buffer`]: the byte buffers.
//! - [`reassembly`]: bytes that arrived ahead of a gap.
//! - [`rto`]: the retransmission timeout (RFC 6298, as Linux computes it).
//! - [`congestion`]: Reno / NewReno congestion control.
//! - [`ack`]: when to acknowledge (Linux's delayed ACKs).
//! - [`graph`]: cwnd, bytes in flight and the peer's window over time, for the views.
//! - [`cookie`]: SYN cookies, for a SYN beyond a full SYN queue.

pub mod ack;
pub mod congestion;
pub mod cookie;
pub mod graph;
pub mod reassembly;
mod recv;
pub mod ring_buffer;
pub mod rto;
mod send;
pub mod state;
pub mod timer;

pub use ring_buffer::RingBuffer;
pub use state::{State, TcpConfig};

use crate::sim::event::{
    BufferCause, BufferSide, CongestionCause, EventKind, RecvShape, SendReason, SysError, TimerKind,
};
use crate::sim::net::segment::{Endpoint, Flags, Segment, SeqNumber, TcpOptions, Timestamps};
use crate::sim::time::{Duration, Instant};
use timer::Timers;

/// The MSS assumed when a SYN carries none (RFC 9293 §3.7.1).
const DEFAULT_PEER_MSS: u16 = 536;
/// Bytes of timestamps on every segment once they are on: NOP, NOP, kind,
/// length, TSval, TSecr.
const TIMESTAMPS_LEN: u16 = 12;

/// TSval's offset for a connection between these two addresses: a mix of
/// the two IPs (Linux keys a hash of them with a boot-time secret; ports do
/// not enter, so every connection between two hosts shares it).
fn ts_offset(local: Endpoint, remote: Endpoint) -> u32 {
    let mut x = (u64::from(u32::from(local.ip)) << 32) | u64::from(u32::from(remote.ip));
    // splitmix64's finalizer
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (x ^ (x >> 31)) as u32
}

/// The smallest window-scale shift that lets a 16-bit field cover
/// `capacity` bytes (Linux's `tcp_select_initial_window` for a buffer of
/// fixed size).
fn window_shift(capacity: usize) -> u8 {
    let mut shift = 0;
    while (capacity >> shift) > usize::from(u16::MAX) && shift < 14 {
        shift += 1;
    }
    shift
}

/// One segment in the retransmission queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sent {
    seq: SeqNumber,
    /// Payload bytes.
    len: usize,
    /// The FIN rides on it.
    fin: bool,
}

impl Sent {
    /// Just past it in sequence space (a FIN counts one).
    fn end(&self) -> SeqNumber {
        self.seq + self.len + self.fin as usize
    }
}

/// What the kernel must do after the socket processed an input, in this
/// order: log the events, transmit the segments, apply the timer changes,
/// then the flags.
#[derive(Debug, Default)]
pub(crate) struct Out {
    /// What happened inside the socket (state changes, buffer changes, a
    /// timer that fired, a segment it dropped), oldest first.
    pub events: Vec<EventKind>,
    /// Segments to put on the wire, in order.
    pub segments: Vec<(Segment, SendReason)>,
    /// Timers armed (`Some(deadline)`) or stopped (`None`), in order.
    pub timers: Vec<(TimerKind, Option<Instant>)>,
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
    state: State,
    local: Endpoint,
    remote: Endpoint,
    /// Bytes from SND.UNA on: sent but unacknowledged, then not yet sent.
    /// Invariant: `tx.len() >= data in flight (SND.NXT - SND.UNA, minus a sent FIN)`.
    tx: RingBuffer,
    /// Bytes received in order and not yet `recv()`ed. Its free space is the window.
    rx: RingBuffer,
    /// Initial send sequence number (ISS): random, so old segments of an
    /// earlier connection cannot be mistaken for this one's.
    iss: SeqNumber,
    /// Initial receive sequence number (IRS): the peer's ISS.
    irs: SeqNumber,
    /// SND.UNA: oldest sequence number not yet acknowledged.
    snd_una: SeqNumber,
    /// SND.NXT: next sequence number to send. Invariant: SND.UNA <= SND.NXT.
    snd_nxt: SeqNumber,
    /// The highest sequence number sent so far, plus one (Linux's
    /// `snd_nxt` before a timeout rewinds ours): an ACK may reach this far.
    snd_max: SeqNumber,
    /// Where our FIN sits in sequence space, once it has been sent.
    fin_seq: Option<SeqNumber>,
    /// SND.WND: the window the peer advertised in its latest ACK.
    snd_wnd: u16,
    /// RCV.NXT: next sequence number expected from the peer.
    rcv_nxt: SeqNumber,
    /// The window we advertised last (RCV.WND when we last sent).
    rcv_wnd_advertised: u16,
    /// RCV.NXT + RCV.WND when we last sent: the right edge we promised.
    rcv_adv_edge: SeqNumber,
    /// MSS: the largest payload we send: the smaller of ours and the
    /// peer's, less the 12 bytes of timestamps if they are on (Linux's
    /// `mss_cache`).
    mss: u16,
    /// The MSS we announce.
    local_mss: u16,
    /// What our SYN offers (from the config).
    offer_timestamps: bool,
    offer_sack: bool,
    /// Both SYNs carried timestamps: every segment carries them (RFC 7323).
    ts_ok: bool,
    /// TS.Recent: the TSval to echo, from the earliest segment not yet
    /// acknowledged (RFC 7323 §4.3).
    ts_recent: u32,
    /// Added to the millisecond clock for TSval. Linux derives it from a
    /// keyed hash of the two addresses, so it differs per peer and says
    /// nothing about the host's uptime.
    ts_offset: u32,
    /// Both SYNs carried SACK-permitted.
    sack_ok: bool,
    /// The window-scale shift we announce: the smallest that lets the
    /// 16-bit window field cover the receive buffer. Linux offers 7
    /// because autotuning may grow its buffer to 6 MB (`tcp_rmem`); buffers
    /// here keep their size, at most 64 KB, so the shift is 0 and every
    /// window field is the window in bytes.
    rcv_wscale: u8,
    /// The program will send nothing more (close or shutdown): FIN goes after the data.
    fin_queued: bool,
    /// Our FIN has been sent (it holds the sequence number SND.NXT - 1 until acked).
    fin_sent: bool,
    /// The peer's FIN arrived: after the buffer is drained, recv() returns b"".
    fin_received: bool,
    /// The program closed its fd: nobody will read any more.
    app_closed: bool,
    /// When to acknowledge what arrived (Linux's delayed-ACK state).
    ack: ack::AckState,
    /// RCV.NXT when we last sent a segment (Linux's `rcv_wup`): what the
    /// peer knows we have.
    rcv_wup: SeqNumber,
    /// The next pure ACK reopens a small or zero window (for the narration).
    window_update_due: bool,
    /// The end of the last segment smaller than the MSS we sent (Linux's
    /// `snd_sml`): Nagle holds back another small one while it is unacknowledged.
    snd_sml: SeqNumber,
    /// Where each of the program's `send()` calls ended (the sequence
    /// number after its last byte), until acknowledged. Data segments carry
    /// them beside the payload (`Segment::write_ends`); they are not on the
    /// wire.
    write_ends: Vec<SeqNumber>,
    /// The peer's `send()` ends among the bytes in the receive buffer.
    read_marks: Vec<SeqNumber>,
    /// The last `recv()` stopped where a peer's `send()` ended (or nothing
    /// was read yet).
    read_at_boundary: bool,
    /// TCP_NODELAY: Nagle's algorithm is off.
    nodelay: bool,
    /// The SYN (or SYN-ACK) of the current try has been sent.
    syn_sent: bool,
    /// The current SYN (or SYN-ACK) retransmission timeout.
    syn_rto: Duration,
    syn_tries: u8,
    /// The current persist interval (doubles per probe, up to the maximum).
    persist_backoff: Duration,
    /// Segments sent and not yet fully acknowledged, oldest first (Linux's
    /// retransmission queue; the bytes themselves stay in `tx`).
    /// Invariant: contiguous from SND.UNA (or just before it) to SND.NXT.
    sent: Vec<Sent>,
    /// The retransmission timeout.
    rtt: rto::RttEstimator,
    /// Congestion control.
    cc: congestion::Reno,
    /// Retransmission timeouts in a row without progress.
    rto_retries: u8,
    /// Sending was held back by cwnd since the window was last used up
    /// (Linux's `is_cwnd_limited`).
    cwnd_limited: bool,
    /// The most segments in flight at once since the queue was last empty
    /// (Linux's `max_packets_out`).
    max_out: u32,
    /// Bytes that arrived ahead of a gap.
    ooo: reassembly::Reassembly,
    /// SYN-ACKs sent again so far.
    synack_tries: u8,
    timers: Timers,
    /// The listening socket this connection came from (until accepted).
    listener: Option<crate::sim::ids::SockId>,
    /// Why the connection failed, for the next call on it.
    error: Option<SysError>,
    /// cwnd, flight and the peer's window over time (observed, never read
    /// by a rule).
    graph: graph::Graph,
}

impl TcpSocket {
    pub(crate) fn new(
        local: Endpoint,
        remote: Endpoint,
        iss: SeqNumber,
        (send_capacity, recv_capacity): (usize, usize),
        cfg: &TcpConfig,
    ) -> Self {
        TcpSocket {
            state: State::Closed,
            local,
            remote,
            tx: RingBuffer::new(send_capacity),
            rx: RingBuffer::new(recv_capacity),
            iss,
            irs: SeqNumber(0),
            snd_una: iss,
            snd_nxt: iss,
            snd_max: iss,
            fin_seq: None,
            snd_wnd: 0,
            rcv_nxt: SeqNumber(0),
            rcv_wnd_advertised: 0,
            rcv_adv_edge: SeqNumber(0),
            mss: cfg.mss,
            local_mss: cfg.mss,
            offer_timestamps: cfg.timestamps,
            offer_sack: cfg.sack,
            ts_ok: false,
            ts_recent: 0,
            ts_offset: ts_offset(local, remote),
            sack_ok: false,
            rcv_wscale: window_shift(recv_capacity),
            fin_queued: false,
            fin_sent: false,
            fin_received: false,
            app_closed: false,
            ack: ack::AckState::new(usize::from(cfg.mss), recv_capacity),
            rcv_wup: SeqNumber(0),
            window_update_due: false,
            snd_sml: iss,
            write_ends: Vec::new(),
            read_marks: Vec::new(),
            read_at_boundary: true,
            nodelay: false,
            syn_sent: false,
            syn_rto: cfg.syn_rto,
            syn_tries: 0,
            persist_backoff: cfg.persist_first,
            sent: Vec::new(),
            rtt: rto::RttEstimator::default(),
            cc: congestion::Reno::with_initial_window(cfg.initial_cwnd),
            rto_retries: 0,
            cwnd_limited: false,
            max_out: 0,
            ooo: reassembly::Reassembly::default(),
            synack_tries: 0,
            timers: Timers::default(),
            listener: None,
            error: None,
            graph: graph::Graph::default(),
        }
    }

    // ------------------------------------------------------------------
    // What the views read
    // ------------------------------------------------------------------

    pub fn state(&self) -> State {
        self.state
    }
    pub fn local(&self) -> Endpoint {
        self.local
    }
    pub fn remote(&self) -> Endpoint {
        self.remote
    }
    /// The send buffer: bytes from SND.UNA on.
    pub fn send_buffer(&self) -> &RingBuffer {
        &self.tx
    }
    /// The receive buffer: bytes waiting for `recv()`.
    pub fn recv_buffer(&self) -> &RingBuffer {
        &self.rx
    }
    pub fn iss(&self) -> SeqNumber {
        self.iss
    }
    pub fn irs(&self) -> SeqNumber {
        self.irs
    }
    pub fn snd_una(&self) -> SeqNumber {
        self.snd_una
    }
    pub fn snd_nxt(&self) -> SeqNumber {
        self.snd_nxt
    }
    /// SND.WND: the peer's latest window.
    pub fn peer_window(&self) -> u16 {
        self.snd_wnd
    }
    pub fn rcv_nxt(&self) -> SeqNumber {
        self.rcv_nxt
    }
    /// The MSS this side sends with.
    pub fn mss(&self) -> u16 {
        self.mss
    }
    /// The peer's FIN has arrived.
    pub fn fin_received(&self) -> bool {
        self.fin_received
    }
    /// Why the connection failed, if it did and no call has reported it yet.
    pub fn error(&self) -> Option<SysError> {
        self.error
    }

    /// The pending error, reported once (Linux's `sock_error` clears
    /// `sk_err`): the next call on the socket sees the state instead (a
    /// `recv()` gets `b''`, a `send()` EPIPE).
    pub(crate) fn take_error(&mut self) -> Option<SysError> {
        self.error.take()
    }
    /// The listening socket whose queues hold this connection (until accepted).
    pub fn listener(&self) -> Option<crate::sim::ids::SockId> {
        self.listener
    }
    /// The armed timers.
    pub fn timers(&self) -> &Timers {
        &self.timers
    }
    /// Congestion control's state.
    pub fn congestion(&self) -> &congestion::Reno {
        &self.cc
    }
    /// The retransmission timeout estimator.
    pub fn rtt(&self) -> &rto::RttEstimator {
        &self.rtt
    }
    /// cwnd, bytes in flight and the peer's window over time.
    pub fn graph(&self) -> &graph::Graph {
        &self.graph
    }

    /// Adds the current cwnd, flight and peer window to the graph (the
    /// world calls it after every change it applies).
    pub(crate) fn observe(&mut self, now: Instant) {
        if !self.is_synchronized() && self.graph.points().is_empty() {
            return;
        }
        let mss = u32::from(self.mss);
        self.graph.record(graph::GraphPoint {
            at: now,
            cwnd: self.cc.cwnd().saturating_mul(mss),
            ssthresh: self.cc.ssthresh().map(|s| s.saturating_mul(mss)),
            flight: self.data_in_flight() as u32,
            peer_window: u32::from(self.snd_wnd),
        });
    }

    /// Bytes held out of order, waiting for a gap to fill.
    pub fn out_of_order(&self) -> usize {
        self.ooo.len()
    }

    /// Just past the last data byte received (RCV.NXT counts a FIN too).
    pub fn received_end(&self) -> SeqNumber {
        SeqNumber(self.rcv_nxt.0.wrapping_sub(self.fin_received as u32))
    }

    /// Free space of the receive buffer, as the 16-bit window field carries it
    /// (no window scaling in this model).
    pub fn window(&self) -> u16 {
        self.rx.window().min(u16::MAX as usize) as u16
    }

    /// Bytes sent and not yet acknowledged (payload only, not SYN or FIN).
    ///
    /// Invariant: never more than the send buffer holds, in any state (a
    /// connection whose handshake failed still has its SYN unacknowledged,
    /// and that is no data).
    pub fn data_in_flight(&self) -> usize {
        let outstanding = self.snd_nxt.distance_from(self.snd_una).max(0) as usize;
        // Our SYN occupies ISS until it is acknowledged.
        let syn = (self.snd_una == self.iss && self.snd_nxt != self.iss) as usize;
        let fin = (self.fin_sent && self.snd_nxt > self.snd_una) as usize;
        outstanding.saturating_sub(syn + fin)
    }

    /// Bytes in the send buffer the kernel has not sent yet.
    pub fn unsent(&self) -> usize {
        self.tx.len().saturating_sub(self.data_in_flight())
    }

    /// Is the connection synchronized (handshake done, not yet closed)?
    pub fn is_synchronized(&self) -> bool {
        self.state.is_synchronized()
    }

    /// May the program still `send()`? Not after close/shutdown or a reset.
    pub fn can_send(&self) -> bool {
        matches!(self.state, State::Established | State::CloseWait) && !self.fin_queued
    }

    /// The right edge of the window we promised: the peer may send up to here,
    /// and we must keep room for it (the window never shrinks, RFC 9293 §3.8.6.2.2).
    pub fn promised_bytes(&self) -> usize {
        self.rcv_adv_edge.distance_from(self.rcv_nxt).max(0) as usize
    }

    // ------------------------------------------------------------------
    // The one place for transitions, buffer events and timers
    // ------------------------------------------------------------------

    /// Every state transition goes through here, so every one is logged.
    fn set_state(&mut self, to: State, out: &mut Out) {
        if self.state != to {
            let from = self.state;
            self.state = to;
            out.events.push(EventKind::State { from, to });
        }
    }

    fn buffer_event(&self, out: &mut Out, side: BufferSide, cause: BufferCause, delta: i64) {
        let b = match side {
            BufferSide::Send => &self.tx,
            BufferSide::Recv => &self.rx,
        };
        out.events.push(EventKind::Buffer {
            side,
            cause,
            delta,
            len: b.len(),
            capacity: b.capacity(),
        });
    }

    /// Arms `kind` for `at` (replacing its earlier deadline).
    fn arm(&mut self, kind: TimerKind, at: Instant, out: &mut Out) {
        self.timers.set(kind, at);
        out.timers.push((kind, Some(at)));
    }

    /// Stops `kind` if it was armed.
    fn disarm(&mut self, kind: TimerKind, out: &mut Out) {
        if self.timers.stop(kind) {
            out.timers.push((kind, None));
        }
    }

    fn disarm_all(&mut self, out: &mut Out) {
        for kind in TimerKind::ALL {
            self.disarm(kind, out);
        }
    }

    // ------------------------------------------------------------------
    // Opening
    // ------------------------------------------------------------------

    /// `connect()`: the active open. SYN-SENT now; the SYN goes out on dispatch.
    pub(crate) fn connect(&mut self, out: &mut Out) {
        self.set_state(State::SynSent, out);
        out.poll = true;
    }

    /// A SYN reached the listening socket `listener`: this new socket
    /// answers it (passive open) and waits in that listener's queues.
    pub(crate) fn accept_syn(
        &mut self,
        syn: &Segment,
        listener: crate::sim::ids::SockId,
        out: &mut Out,
    ) {
        self.listener = Some(listener);
        self.irs = syn.seq;
        self.rcv_nxt = syn.seq + 1;
        // Nothing promised to this peer yet (the SYN-ACK will).
        self.rcv_adv_edge = self.rcv_nxt;
        self.snd_wnd = syn.window;
        self.negotiate(syn);
        // The new connection starts as a copy of its listener (Linux clones
        // the listening socket), so it goes LISTEN → SYN-RECEIVED.
        self.state = State::Listen;
        self.set_state(State::SynReceived, out);
        out.poll = true;
    }

    /// The options of the peer's SYN (or SYN-ACK) settle what this
    /// connection uses: each option only if both sides offered it, and the
    /// MSS as the smaller of the two, less 12 bytes when every segment will
    /// carry timestamps (Linux's `tcp_sync_mss`).
    fn negotiate(&mut self, syn: &Segment) {
        let o = &syn.options;
        self.ts_ok = self.offer_timestamps && o.timestamps.is_some();
        if let Some(ts) = o.timestamps {
            self.ts_recent = ts.val;
        }
        self.sack_ok = self.offer_sack && o.sack_permitted;
        if o.window_scale.is_none() {
            self.rcv_wscale = 0; // scaling needs both sides' option
        }
        let peer_mss = o.mss.unwrap_or(DEFAULT_PEER_MSS);
        let ts_len = if self.ts_ok { TIMESTAMPS_LEN } else { 0 };
        self.mss = self.local_mss.min(peer_mss).saturating_sub(ts_len).max(1);
    }

    /// The options for a segment we send now: the SYN's offer (or the
    /// SYN-ACK's answer), else the timestamps if they are on.
    fn options(&self, syn: bool, now: Instant) -> TcpOptions {
        let answering = self.state == State::SynReceived;
        let ts = (if syn && !answering {
            self.offer_timestamps
        } else {
            self.ts_ok
        })
        .then(|| Timestamps {
            val: ((now.0 / 1000) as u32).wrapping_add(self.ts_offset),
            ecr: if syn && !answering { 0 } else { self.ts_recent },
        });
        if !syn {
            let mut sack = [None; 4];
            if self.sack_ok {
                let max = if ts.is_some() { 3 } else { 4 };
                for (slot, b) in sack.iter_mut().zip(self.ooo.sack_blocks(max)) {
                    *slot = Some(b);
                }
            }
            return TcpOptions {
                timestamps: ts,
                sack,
                ..TcpOptions::default()
            };
        }
        TcpOptions {
            mss: Some(self.local_mss),
            sack_permitted: if answering {
                self.sack_ok
            } else {
                self.offer_sack
            },
            timestamps: ts,
            window_scale: Some(self.rcv_wscale),
            sack: [None; 4],
        }
    }

    /// RFC 7323 §4.3: a segment that starts at or before the last ACK we
    /// sent (RCV.WUP) gives TS.Recent its TSval, so the echo reflects the
    /// earliest segment an ACK covers (with a delayed ACK, the first of
    /// the two it acknowledges).
    fn store_ts_recent(&mut self, seg: &Segment) {
        if let (true, Some(ts)) = (self.ts_ok, seg.options.timestamps) {
            if seg.seq <= self.rcv_wup && ts.val.wrapping_sub(self.ts_recent) as i32 >= 0 {
                self.ts_recent = ts.val;
            }
        }
    }

    /// `accept()` took this connection out of its listener's queue.
    pub(crate) fn accepted(&mut self) {
        self.listener = None;
    }

    // ------------------------------------------------------------------
    // Timers
    // ------------------------------------------------------------------

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
                if self.snd_wnd != 0
                    || self.tx.is_empty()
                    || !self.is_synchronized()
                    || self.fin_sent
                {
                    return false;
                }
                out.events.push(EventKind::Timer { timer: kind });
                self.send_zero_window_probe(now, out);
                self.persist_backoff = self.persist_backoff.doubled().min(cfg.persist_max);
                self.arm(TimerKind::Persist, now + self.persist_backoff, out);
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
    fn on_retransmission_timeout(&mut self, now: Instant, cfg: &TcpConfig, out: &mut Out) {
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
    fn congestion_event(&self, cause: CongestionCause, out: &mut Out) {
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

    fn enter_time_wait(&mut self, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        self.set_state(State::TimeWait, out);
        self.disarm_all(out);
        self.arm(TimerKind::TimeWait, now + cfg.time_wait, out);
    }

    // ------------------------------------------------------------------
    // Closing
    // ------------------------------------------------------------------

    /// Aborts the connection (RST): sends one if `send_rst`, and is CLOSED.
    fn abort(&mut self, send_rst: bool, now: Instant, out: &mut Out) {
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

    /// `close()` (or the process's exit) gave the last fd back.
    ///
    /// With unread bytes in the receive buffer Linux answers RST, not FIN,
    /// so the peer learns its data was not read; a connection still in its
    /// handshake is dropped; otherwise the FIN follows the queued bytes and
    /// the kernel keeps the connection until the close is over.
    pub(crate) fn app_close(&mut self, now: Instant, out: &mut Out) {
        self.app_closed = true;
        if !self.rx.is_empty() {
            self.abort(true, now, out);
        } else if matches!(self.state, State::SynSent | State::SynReceived) {
            self.abort(false, now, out);
        } else {
            self.app_shutdown_write(out);
        }
    }

    /// Its listening socket was closed before anyone accepted this
    /// connection: it is reset.
    pub(crate) fn reset_unaccepted(&mut self, now: Instant, out: &mut Out) {
        self.app_closed = true;
        self.abort(true, now, out);
    }

    /// `close()` or `shutdown(SHUT_WR)`: queue a FIN after the buffered bytes.
    pub(crate) fn app_shutdown_write(&mut self, out: &mut Out) {
        if self.fin_queued {
            return;
        }
        self.fin_queued = true;
        match self.state {
            State::Established => self.set_state(State::FinWait1, out),
            State::CloseWait => self.set_state(State::LastAck, out),
            _ => {}
        }
        out.poll = true;
    }

    // ------------------------------------------------------------------
    // The program's calls
    // ------------------------------------------------------------------

    /// `send()`: copies what fits into the send buffer. Returns the count.
    /// When all of `data` fit, the end of the program's call is marked.
    pub(crate) fn app_send(&mut self, data: &[u8], out: &mut Out) -> usize {
        let n = self.tx.enqueue_slice(data).unwrap_or(0);
        if n == data.len() && n > 0 {
            self.write_ends.push(self.snd_una + self.tx.len());
        }
        if n > 0 {
            self.buffer_event(out, BufferSide::Send, BufferCause::AppSend, n as i64);
            out.poll = true;
        }
        n
    }

    /// `recv(max)`: takes up to `max` bytes. `None` means "would block".
    /// `Some(empty)` after the peer's FIN once the buffer is drained. The
    /// shape says how the bytes relate to the peer's `send()` calls.
    pub(crate) fn app_recv(
        &mut self,
        max: usize,
        out: &mut Out,
    ) -> Option<(Vec<u8>, Option<RecvShape>)> {
        if self.rx.is_empty() {
            return if self.fin_received || self.state == State::Closed {
                Some((vec![], None))
            } else {
                None
            };
        }
        let waiting = self.rx.len();
        let start = SeqNumber(self.received_end().0.wrapping_sub(waiting as u32));
        let mut data = vec![0; max.min(waiting)];
        let n = self.rx.dequeue_slice(&mut data).unwrap_or(0);
        data.truncate(n);
        let end = start + n;
        let ends = self.read_marks.iter().filter(|m| **m <= end).count() as u32;
        let to_end = self.read_marks.contains(&end);
        self.read_marks.retain(|m| *m > end);
        let shape = RecvShape {
            waiting,
            ends,
            from_start: self.read_at_boundary,
            to_end,
        };
        self.read_at_boundary = to_end;
        self.buffer_event(out, BufferSide::Recv, BufferCause::AppRecv, -(n as i64));
        self.cleanup_rbuf(n, out);
        Some((data, Some(shape)))
    }

    /// After `recv()` took `copied` bytes (Linux's `tcp_cleanup_rbuf`): an
    /// ACK that was being delayed goes now if more than a segment's worth
    /// waits for it, or small pushed segments were all read; and a window
    /// update goes if reading at least doubled the window the peer may use
    /// (receiver-side silly window avoidance: a window that opens by a few
    /// bytes is not worth a segment).
    fn cleanup_rbuf(&mut self, copied: usize, out: &mut Out) {
        let unacked = self.rcv_nxt.distance_from(self.rcv_wup).max(0) as usize;
        if self.ack.ack_after_read(unacked, self.rx.is_empty()) {
            self.ack.now = true;
            out.poll = true;
            return;
        }
        if copied == 0 || self.fin_received {
            return;
        }
        let offered = self.promised_bytes();
        let window = self.rx.window();
        if 2 * offered <= self.rx.capacity() && window > 0 && window >= 2 * offered {
            self.ack.now = true;
            self.window_update_due = true;
            out.poll = true;
        }
    }

    /// TCP_NODELAY on or off; turning it on sends what Nagle held back.
    pub(crate) fn set_nodelay(&mut self, on: bool, out: &mut Out) {
        self.nodelay = on;
        if on {
            out.poll = true;
        }
    }

    /// After an incoming segment (Linux's `__tcp_ack_snd_check`): an owed ACK
    /// goes at once (quick-ACK mode, more than a full segment unacknowledged,
    /// or a rule that demands it), or waits on the delayed-ACK timer for a
    /// reply to carry it.
    fn ack_snd_check(&mut self, now: Instant, out: &mut Out) {
        if !self.ack.scheduled && !self.ack.now {
            return;
        }
        let unacked = self.rcv_nxt.distance_from(self.rcv_wup).max(0) as usize;
        let window_ok = self.rx.window() >= self.promised_bytes();
        if self.ack.send_now(unacked, window_ok) {
            self.ack.now = true;
            out.poll = true;
            return;
        }
        match self.ack.delay(now, self.timers.get(TimerKind::DelayedAck)) {
            Some(at) => self.arm(TimerKind::DelayedAck, at, out),
            None => {
                self.ack.now = true;
                out.poll = true;
            }
        }
    }

    /// SO_SNDBUF / SO_RCVBUF changed on a live connection. The receive
    /// buffer never shrinks below what it holds plus the window already
    /// promised to the peer; a receive buffer that grew past the window we
    /// advertised is announced with a window update; a send buffer that grew
    /// wakes a `send()` waiting for room.
    pub(crate) fn resize_buffers(&mut self, send: usize, recv: usize, out: &mut Out) {
        let old = (self.tx.capacity(), self.rx.capacity());
        self.tx.set_capacity(send);
        let min_rx = self.rx.len() + self.promised_bytes();
        self.rx.set_capacity(recv.max(min_rx));
        if self.rx.capacity() > old.1
            && (self.rcv_wnd_advertised as usize) < self.rx.window()
            && self.is_synchronized()
        {
            self.ack.now = true;
            self.window_update_due = true;
            out.poll = true;
        }
        out.wake = self.tx.capacity() > old.0;
        for (side, was) in [(BufferSide::Send, old.0), (BufferSide::Recv, old.1)] {
            let b = match side {
                BufferSide::Send => &self.tx,
                BufferSide::Recv => &self.rx,
            };
            if b.capacity() != was {
                self.buffer_event(out, side, BufferCause::Resized, 0);
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
