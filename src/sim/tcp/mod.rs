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
//! - `open`: the handshake's SYNs and options.
//! - `app`: the calls a program makes (`close`, `send`, `recv`…).
//! - `timeouts`: what a timer does when it fires; TIME-WAIT and abort.
//! - [`ring_buffer`]: the byte buffers.
//! - [`reassembly`]: bytes that arrived ahead of a gap.
//! - [`rmem`]: Linux's receive memory and the window it offers (when
//!   [`TcpConfig::linux_rmem`] is on).
//! - [`rto`]: the retransmission timeout (RFC 6298, as Linux computes it).
//! - [`congestion`]: Reno / NewReno congestion control.
//! - [`ack`]: when to acknowledge (Linux's delayed ACKs).
//! - [`graph`]: cwnd, bytes in flight and the peer's window over time, for the views.
//! - [`cookie`]: SYN cookies, for a SYN beyond a full SYN queue.

pub mod ack;
mod app;
pub mod congestion;
pub mod cookie;
pub mod graph;
mod open;
pub mod reassembly;
mod recv;
pub mod ring_buffer;
pub mod rmem;
pub mod rto;
mod send;
pub mod state;
mod timeouts;
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
    /// window field is the window in bytes. With Linux's receive memory
    /// ([`TcpConfig::linux_rmem`]) it is Linux's 7, and every window is a
    /// multiple of 128 bytes.
    rcv_wscale: u8,
    /// Linux's receive memory, when the config asks for it: then the
    /// window comes from it, not from the receive buffer's free bytes.
    rmem: Option<rmem::RcvMem>,
    /// The largest window the peer has offered (Linux's `max_window`):
    /// the MSS we send with is at most half of it.
    max_window: usize,
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
    /// When we last answered a segment outside the window (Linux's
    /// `last_oow_ack_time`).
    last_oow_ack: Option<Instant>,
    /// Zero-window probes sent since the window last let data go (Linux's
    /// `icsk_backoff` for the persist timer): each doubles the interval.
    persist_backoff: u32,
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
            rcv_wscale: if cfg.linux_rmem {
                rmem::LINUX_WSCALE
            } else {
                window_shift(recv_capacity)
            },
            rmem: cfg
                .linux_rmem
                .then(|| rmem::RcvMem::new(recv_capacity, rmem::LINUX_WSCALE)),
            max_window: 0,
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
            persist_backoff: 0,
            last_oow_ack: None,
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
        if !self.is_synchronized() && self.graph.is_empty() {
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

    /// The window we would offer now, in bytes: the receive buffer's free
    /// space, or with Linux's receive memory what it selects (never less
    /// than what is left of the window already promised).
    pub fn window(&self) -> u16 {
        let bytes = match &self.rmem {
            Some(m) => m.window(self.ack.rcv_mss(), self.promised_bytes()),
            None => self.rx.window(),
        };
        bytes.min(u16::MAX as usize) as u16
    }

    /// A window is being selected (Linux's `__tcp_select_window`): with
    /// Linux's receive memory, free memory below half the window ends
    /// quick-ACK mode. Both places that select a window call this.
    fn on_window_selected(&mut self) {
        if self.rmem.as_ref().is_some_and(|m| m.low_on_space()) {
            self.ack.leave_quickack();
        }
    }

    /// How many bytes past RCV.NXT may be accepted now: the free space of
    /// the receive buffer, and with Linux's receive memory no more than the
    /// window promised.
    fn receive_room(&self) -> usize {
        match &self.rmem {
            Some(_) => self.rx.window().min(self.promised_bytes()),
            None => self.rx.window(),
        }
    }

    /// Linux's receive memory, if this socket models it.
    pub fn rmem(&self) -> Option<&rmem::RcvMem> {
        self.rmem.as_ref()
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

    /// The usable window, RFC 9293's SND.UNA + SND.WND − SND.NXT: how many
    /// new bytes the peer's last window lets this side send now. Never
    /// negative: a window that shrank under bytes already sent gives 0.
    pub fn usable_window(&self) -> usize {
        (self.snd_una + self.snd_wnd as usize)
            .distance_from(self.snd_nxt)
            .max(0) as usize
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
}

#[cfg(test)]
pub(crate) mod tests;
