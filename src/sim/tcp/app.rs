//! The calls a program makes on the socket: `close()`, `shutdown()`,
//! `send()`, `recv()`, `TCP_NODELAY`, new buffer sizes, and the window
//! update that reading from a full buffer calls for.

use super::*;

impl TcpSocket {
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
        if let Some(m) = &mut self.rmem {
            m.consumed(n);
        }
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
    pub(super) fn cleanup_rbuf(&mut self, copied: usize, out: &mut Out) {
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
        let (window, clamp) = match &self.rmem {
            Some(m) => (m.select(self.ack.rcv_mss()), m.window_clamp()),
            None => (self.rx.window(), self.rx.capacity()),
        };
        if 2 * offered <= clamp && window > 0 && window >= 2 * offered {
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
    pub(super) fn ack_snd_check(&mut self, now: Instant, out: &mut Out) {
        if !self.ack.scheduled && !self.ack.now {
            return;
        }
        let unacked = self.rcv_nxt.distance_from(self.rcv_wup).max(0) as usize;
        // Linux: `__tcp_select_window() >= rcv_wnd`, the window would not
        // shrink; it is selected only past a full segment unacknowledged.
        if unacked > self.ack.rcv_mss() {
            self.on_window_selected();
        }
        let window_ok = match &self.rmem {
            Some(m) => m.select(self.ack.rcv_mss()) >= usize::from(self.rcv_wnd_advertised),
            None => self.rx.window() >= self.promised_bytes(),
        };
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
