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

mod recv;
pub mod ring_buffer;
mod send;
pub mod state;
pub mod timer;

pub use ring_buffer::RingBuffer;
pub use state::{State, TcpConfig};

use crate::sim::event::{BufferCause, BufferSide, EventKind, SendReason, SysError, TimerKind};
use crate::sim::net::segment::{Endpoint, Flags, Segment, SeqNumber};
use crate::sim::time::{Duration, Instant};
use timer::Timers;

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
    /// SND.WND: the window the peer advertised in its latest ACK.
    snd_wnd: u16,
    /// RCV.NXT: next sequence number expected from the peer.
    rcv_nxt: SeqNumber,
    /// The window we advertised last (RCV.WND when we last sent).
    rcv_wnd_advertised: u16,
    /// RCV.NXT + RCV.WND when we last sent: the right edge we promised.
    rcv_adv_edge: SeqNumber,
    /// MSS: the largest payload we send: the smaller of ours and the peer's.
    mss: u16,
    /// The MSS we announce.
    local_mss: u16,
    /// The program will send nothing more (close or shutdown): FIN goes after the data.
    fin_queued: bool,
    /// Our FIN has been sent (it holds the sequence number SND.NXT - 1 until acked).
    fin_sent: bool,
    /// The peer's FIN arrived: after the buffer is drained, recv() returns b"".
    fin_received: bool,
    /// The program closed its fd: nobody will read any more.
    app_closed: bool,
    /// An ACK should be sent (data or FIN arrived).
    ack_due: bool,
    /// That ACK reopens a small or zero window.
    window_update_due: bool,
    /// The SYN (or SYN-ACK) of the current try has been sent.
    syn_sent: bool,
    /// The current SYN retransmission timeout (doubles per retry).
    syn_rto: Duration,
    syn_tries: u8,
    /// A one-byte probe sits past a zero window.
    probe_outstanding: bool,
    /// The current persist interval (doubles per probe, up to the maximum).
    persist_backoff: Duration,
    timers: Timers,
    /// The listening socket this connection came from (until accepted).
    listener: Option<crate::sim::ids::SockId>,
    /// Why the connection failed, for the next call on it.
    error: Option<SysError>,
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
            persist_backoff: cfg.persist_first,
            timers: Timers::default(),
            listener: None,
            error: None,
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
    /// Why the connection failed, if it did.
    pub fn error(&self) -> Option<SysError> {
        self.error
    }
    /// The listening socket whose queues hold this connection (until accepted).
    pub fn listener(&self) -> Option<crate::sim::ids::SockId> {
        self.listener
    }
    /// The armed timers.
    pub fn timers(&self) -> &Timers {
        &self.timers
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
        if let Some(peer_mss) = syn.mss {
            self.mss = self.local_mss.min(peer_mss);
        }
        self.set_state(State::SynReceived, out);
        out.poll = true;
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
                if self.syn_tries > cfg.syn_retries {
                    self.error = Some(SysError::TimedOut);
                    self.set_state(State::Closed, out);
                    out.wake = true;
                } else {
                    self.syn_rto = self.syn_rto.doubled();
                    self.syn_sent = false;
                    self.dispatch(now, cfg, out);
                }
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
                self.send_zero_window_probe(out);
                self.persist_backoff = self.persist_backoff.doubled().min(cfg.persist_max);
                self.arm(TimerKind::Persist, now + self.persist_backoff, out);
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

    fn enter_time_wait(&mut self, now: Instant, cfg: &TcpConfig, out: &mut Out) {
        self.set_state(State::TimeWait, out);
        self.disarm_all(out);
        self.arm(TimerKind::TimeWait, now + cfg.time_wait, out);
    }

    // ------------------------------------------------------------------
    // Closing
    // ------------------------------------------------------------------

    /// Aborts the connection (RST): sends one if `send_rst`, and is CLOSED.
    fn abort(&mut self, send_rst: bool, out: &mut Out) {
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
    pub(crate) fn app_close(&mut self, out: &mut Out) {
        self.app_closed = true;
        if !self.rx.is_empty() {
            self.abort(true, out);
        } else if matches!(self.state, State::SynSent | State::SynReceived) {
            self.abort(false, out);
        } else {
            self.app_shutdown_write(out);
        }
    }

    /// Its listening socket was closed before anyone accepted this
    /// connection: it is reset.
    pub(crate) fn reset_unaccepted(&mut self, out: &mut Out) {
        self.app_closed = true;
        self.abort(true, out);
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
    pub(crate) fn app_send(&mut self, data: &[u8], out: &mut Out) -> usize {
        let n = self.tx.enqueue_slice(data).unwrap_or(0);
        if n > 0 {
            self.buffer_event(out, BufferSide::Send, BufferCause::AppSend, n as i64);
            out.poll = true;
        }
        n
    }

    /// `recv(max)`: takes up to `max` bytes. `None` means "would block".
    /// `Some(empty)` after the peer's FIN once the buffer is drained.
    pub(crate) fn app_recv(&mut self, max: usize, out: &mut Out) -> Option<Vec<u8>> {
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
        self.buffer_event(out, BufferSide::Recv, BufferCause::AppRecv, -(n as i64));
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
            self.ack_due = true;
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
