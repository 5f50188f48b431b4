//! Opening a connection: `connect()`'s SYN, a listener's answer to a SYN,
//! the options a SYN carries and what the handshake negotiates (MSS,
//! window scale, timestamps).

use super::*;

impl TcpSocket {
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
    pub(super) fn negotiate(&mut self, syn: &Segment) {
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
        self.max_window = usize::from(syn.window);
        let mss = self.local_mss.min(peer_mss).saturating_sub(ts_len).max(1);
        self.mss = bound_to_half_window(mss, self.max_window, 20 + ts_len);
    }

    /// The options for a segment we send now: the SYN's offer (or the
    /// SYN-ACK's answer), else the timestamps if they are on.
    pub(super) fn options(&self, syn: bool, now: Instant) -> TcpOptions {
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
    pub(super) fn store_ts_recent(&mut self, seg: &Segment) {
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
}

/// Linux's `tcp_bound_to_half_wnd`: a sender never sends segments larger
/// than half the largest window the peer has offered (if that window is
/// over 536 bytes; else than the window), so that a small window holds at
/// least two of them. `header_len` is the TCP header with its options; a
/// segment stays at least 68 bytes long with it.
fn bound_to_half_window(mss: u16, max_window: usize, header_len: u16) -> u16 {
    let cutoff = if max_window > usize::from(DEFAULT_PEER_MSS) {
        max_window / 2
    } else {
        max_window
    };
    if cutoff > 0 && usize::from(mss) > cutoff {
        (cutoff.min(usize::from(u16::MAX)) as u16).max(68u16.saturating_sub(header_len))
    } else {
        mss
    }
}
