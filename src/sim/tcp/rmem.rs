//! Linux's receive memory: what the bytes waiting in a receive queue cost
//! the socket, and the window Linux offers from what is left.
//!
//! Linux does not count a receive buffer in bytes of data. Each packet
//! that arrives is a buffer (an skb) whose `truesize` (its data area,
//! rounded up to the allocator's size, plus the skb's own bookkeeping) is
//! charged to the socket (`sk_rmem_alloc`) against `SO_RCVBUF`
//! (`sk_rcvbuf`). A small segment that fits in the unused room at the end
//! of the queue's last buffer is copied there and costs nothing more
//! (`tcp_try_coalesce`). The window offered is the free memory scaled by
//! the ratio of data to `truesize` seen so far (`scaling_ratio`), with
//! receiver-side silly window avoidance, never shrinking what was already
//! promised, in units of the window scale (`__tcp_select_window`,
//! `tcp_select_window` in `net/ipv4/tcp_output.c`, Linux 6.10 and later).
//!
//! The buffers are those a packet written to a TUN device gets (the wire
//! the real-Linux harness uses): one allocation of the whole IP packet,
//! [`NET_SKB_PAD`] bytes of headroom and the shared info, from the
//! allocator's next size up.
//!
//! Invariant: `rmem_alloc()` is the sum of the buffers' `truesize`, and a
//! buffer is freed (its `truesize` returned) only once every byte of it
//! has been read.

use std::collections::VecDeque;

/// The window scale Linux announces: `ilog2(max(tcp_rmem[2],
/// net.core.rmem_max)) − 15`, with Debian's `rmem_max` of 4 MB.
pub const LINUX_WSCALE: u8 = 7;
/// Headroom reserved in front of a received packet (`NET_SKB_PAD`).
pub const NET_SKB_PAD: usize = 64;
/// `sizeof(struct skb_shared_info)`, cache-aligned: at the end of every data area.
const SHARED_INFO: usize = 320;
/// `SKB_SMALL_HEAD_CACHE_SIZE`: the allocation of a small packet's head.
const SMALL_HEAD: usize = 576;
/// `sizeof(struct sk_buff)`, cache-aligned: counted in every `truesize`.
const SKB_STRUCT: usize = 256;
/// IPv4 and TCP headers without options: a packet is this much longer than its payload.
pub const HEADERS: usize = 40;
/// `TCP_RMEM_TO_WIN_SCALE`: the scaling ratio is in 256ths.
const RATIO_ONE: usize = 256;
/// `SOCK_MIN_RCVBUF`: Linux's smallest receive buffer.
const SOCK_MIN_RCVBUF: usize = 2304;
/// `TCP_DEFAULT_SCALING_RATIO`: half, until data has been measured.
const DEFAULT_RATIO: usize = RATIO_ONE / 2;

/// One buffer in the receive queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Skb {
    /// Bytes not yet read.
    unread: usize,
    /// Room left at its end for a later segment's bytes (`skb_tailroom`).
    tailroom: usize,
    truesize: usize,
}

/// What a packet of `payload` bytes costs when it arrives: its `truesize`
/// and the room left at its end. The head is the packet after
/// [`NET_SKB_PAD`] bytes of headroom, cache-aligned, then the shared info;
/// the allocator gives a head of up to 576 bytes from its own cache
/// (`skbuff_small_head`), a larger one from the next power of two
/// (`kmalloc`). A packet of more than 4,031 bytes would need page
/// fragments, which this model does not count: a 1,500-byte MTU never
/// makes one.
fn packet_buffer(payload: usize) -> (usize, usize) {
    let packet = HEADERS + payload;
    let head = (NET_SKB_PAD + packet).next_multiple_of(64) + SHARED_INFO;
    let slab = if head <= SMALL_HEAD {
        SMALL_HEAD
    } else {
        head.next_power_of_two()
    };
    let data_area = slab - SHARED_INFO;
    (slab + SKB_STRUCT, data_area - NET_SKB_PAD - packet)
}

/// A socket's receive memory, Linux's way (see the module's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RcvMem {
    /// `sk_rcvbuf`: the most memory the queue may hold.
    rcvbuf: usize,
    skbs: VecDeque<Skb>,
    /// Bytes of data per 256 bytes of `truesize` (`scaling_ratio`).
    scaling_ratio: usize,
    /// The window may grow to this (`rcv_ssthresh`).
    rcv_ssthresh: usize,
    /// The largest window ever offered (`window_clamp`).
    window_clamp: usize,
    /// The window scale we announced: windows are multiples of `1 << wscale`.
    wscale: u8,
}

impl RcvMem {
    pub fn new(rcvbuf: usize, wscale: u8) -> RcvMem {
        RcvMem {
            rcvbuf,
            skbs: VecDeque::new(),
            scaling_ratio: DEFAULT_RATIO,
            rcv_ssthresh: 0,
            window_clamp: 0,
            wscale,
        }
    }

    /// The largest window offered so far (`window_clamp`).
    pub fn window_clamp(&self) -> usize {
        self.window_clamp
    }

    /// `sk_rmem_alloc`: the `truesize` of every buffer in the queue.
    pub fn rmem_alloc(&self) -> usize {
        self.skbs.iter().map(|s| s.truesize).sum()
    }

    /// `tcp_win_from_space`: the window `space` bytes of memory hold.
    fn win_from_space(&self, space: usize) -> usize {
        space * self.scaling_ratio / RATIO_ONE
    }

    /// `tcp_full_space`: the window the whole buffer holds.
    fn full_space(&self) -> usize {
        self.win_from_space(self.rcvbuf)
    }

    /// `tcp_space`: the window the free memory holds.
    fn space(&self) -> usize {
        self.win_from_space(self.rcvbuf.saturating_sub(self.rmem_alloc()))
    }

    /// The window a SYN (or SYN-ACK) offers (`tcp_select_initial_window`):
    /// the whole buffer's, in whole segments of our MSS (`advmss`). It is
    /// also how far the window may grow for now (`rcv_ssthresh`), and the
    /// whole buffer's window, less a segment kept in reserve once it holds
    /// more than two, is the most it will ever be (`window_clamp`, as
    /// `tcp_init_buffer_space` sets it).
    pub fn initial_window(&mut self, advmss: usize) -> usize {
        let full = self.full_space();
        let mut window = full;
        if window > advmss {
            window -= window % advmss;
        }
        let window = window.min(usize::from(u16::MAX));
        let mut clamp = full;
        if clamp > 2 * advmss && clamp + advmss > full {
            clamp = (2 * advmss).max(full - advmss);
        }
        self.window_clamp = clamp;
        self.rcv_ssthresh = window.min(clamp);
        window
    }

    /// `payload` bytes arrived in order (`tcp_queue_rcv`): copied into the
    /// last buffer's room if they fit, else a buffer of their own.
    ///
    /// The packet also teaches (`tcp_event_data_recv`): a segment at least
    /// as large as the guess of the peer's MSS (`rcv_mss`, before this
    /// segment updates it) and not equal to it measures the ratio of data
    /// to memory (`tcp_measure_rcv_mss`), which moves the most the window
    /// may be (`tcp_set_window_clamp`, never under half of Linux's smallest
    /// receive buffer); one of at least 128 bytes lets the window grow
    /// towards that (`tcp_grow_window`) if packets like it would fit.
    /// `advmss` is our MSS, `rcv_wnd` the window last offered. Returns
    /// whether the window grew (Linux then ACKs the next segment at once).
    pub fn arrived(
        &mut self,
        payload: usize,
        rcv_mss: usize,
        advmss: usize,
        rcv_wnd: usize,
    ) -> bool {
        if payload == 0 {
            return false;
        }
        let (truesize, tailroom) = packet_buffer(payload);
        match self.skbs.back_mut() {
            Some(tail) if payload <= tail.tailroom => {
                tail.tailroom -= payload;
                tail.unread += payload;
            }
            _ => self.skbs.push_back(Skb {
                unread: payload,
                tailroom,
                truesize,
            }),
        }
        // Linux: `len >= rcv_mss && len != rcv_mss`.
        if payload > rcv_mss {
            let ratio = (payload * RATIO_ONE / truesize).max(1);
            if ratio != self.scaling_ratio {
                self.scaling_ratio = ratio;
                let clamp = self.full_space().max(SOCK_MIN_RCVBUF / 2);
                if clamp < self.window_clamp {
                    self.rcv_ssthresh = self.rcv_ssthresh.min(clamp);
                } else {
                    self.rcv_ssthresh = self.rcv_ssthresh.max(rcv_wnd.min(clamp));
                }
                self.window_clamp = clamp;
            }
        }
        let rcv_mss = if payload >= rcv_mss {
            payload.min(advmss)
        } else {
            rcv_mss
        };
        payload >= 128 && self.grow_window(payload, truesize, rcv_mss, advmss)
    }

    /// `tcp_grow_window`: `rcv_ssthresh` grows towards what the free memory
    /// holds, by two segments, if a packet of `len` bytes costing `truesize`
    /// would fit (`__tcp_grow_window` halves both until it does, as long as
    /// the window is at most half of the largest buffer, taken here to be
    /// this one).
    fn grow_window(&mut self, len: usize, truesize: usize, rcv_mss: usize, advmss: usize) -> bool {
        let room = self.window_clamp.min(self.space()) as i64 - self.rcv_ssthresh as i64;
        if room <= 0 {
            return false;
        }
        let incr = if self.win_from_space(truesize) <= len {
            2 * advmss
        } else {
            let mut t = self.win_from_space(truesize) / 2;
            let mut window = self.full_space() / 2;
            let mut incr = 0;
            while self.rcv_ssthresh <= window {
                if t <= len {
                    incr = 2 * rcv_mss;
                    break;
                }
                t /= 2;
                window /= 2;
            }
            incr
        };
        if incr == 0 {
            return false;
        }
        self.rcv_ssthresh += (room as usize).min(incr.max(2 * len));
        true
    }

    /// The free memory holds less than half the largest window: Linux
    /// leaves quick-ACK mode when it selects a window then
    /// (`__tcp_select_window`).
    pub fn low_on_space(&self) -> bool {
        let full = self.full_space().min(self.window_clamp.max(1));
        self.space() < full / 2
    }

    /// The program read `n` bytes: buffers read to their end are freed.
    pub fn consumed(&mut self, mut n: usize) {
        while n > 0 {
            let Some(head) = self.skbs.front_mut() else {
                return;
            };
            let take = n.min(head.unread);
            head.unread -= take;
            n -= take;
            if head.unread == 0 {
                self.skbs.pop_front();
            }
        }
    }

    /// The window to offer now, in bytes, before the never-shrink rule
    /// (`__tcp_select_window`). `rcv_mss` is the guess of the peer's
    /// segment size: a window smaller than that is not worth offering once
    /// the buffer is more than half full.
    pub fn select(&self, rcv_mss: usize) -> usize {
        let allowed = self.full_space();
        let full = allowed.min(self.window_clamp.max(1));
        let mss = rcv_mss.min(full);
        let unit = 1usize << self.wscale;
        let mut free = self.space();
        if free < full / 2 {
            free -= free % unit;
            if free < allowed / 16 || free < mss {
                return 0;
            }
        }
        free = free.min(self.rcv_ssthresh);
        if self.wscale > 0 {
            free.div_ceil(unit) * unit
        } else {
            free
        }
    }

    /// The window to announce (`tcp_select_window`): [`RcvMem::select`],
    /// but never less than what is left of the window already promised
    /// (`promised`: the old right edge less RCV.NXT), rounded up to the
    /// window scale's unit.
    pub fn window(&self, rcv_mss: usize, promised: usize) -> usize {
        let unit = 1usize << self.wscale;
        let kept = promised.div_ceil(unit) * unit;
        self.select(rcv_mss).max(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_segment_costs_a_2k_slab_and_small_ones_fill_its_room() {
        // 730 bytes: 64 + 40 + 730, cache-aligned 896, + 320 = 1216: a
        // 2,048-byte slab. A 23-byte reply fits the small-head cache (576);
        // 600 bytes of payload need 1,024.
        assert_eq!(packet_buffer(730), (2304, 894));
        assert_eq!(packet_buffer(23), (832, 129));
        assert_eq!(packet_buffer(600).0, 1280);
        assert_eq!(packet_buffer(1460).0, 2304);
        let mut m = RcvMem::new(4096, 7);
        assert_eq!(m.initial_window(1460), 1460);
        m.arrived(730, 536, 1460, 1460);
        m.arrived(730, 730, 1460, 768);
        m.arrived(128, 730, 1460, 128);
        assert_eq!(m.rmem_alloc(), 2304, "one buffer holds all 1,588 bytes");
        m.consumed(1024);
        assert_eq!(m.rmem_alloc(), 2304, "freed only once read to its end");
        m.consumed(564);
        assert_eq!(m.rmem_alloc(), 0);
    }

    #[test]
    fn the_window_closes_before_the_memory_runs_out_and_never_shrinks() {
        let mut m = RcvMem::new(4096, 7);
        let first = m.initial_window(1460);
        assert_eq!(
            m.window_clamp(),
            2048,
            "the whole buffer's window at the default ratio"
        );
        m.arrived(730, 536, 1460, first);
        assert_eq!(
            m.window_clamp(),
            1296,
            "730 of every 2,304 bytes of memory are data"
        );
        // 1,792 bytes free hold a window of 560: under an MSS, so 0 …
        assert_eq!(m.select(730), 0);
        // … but 730 of the 1,460 promised are still owed: 768 (6 × 128).
        assert_eq!(m.window(730, first - 730), 768);
        m.consumed(730);
        // Empty again: the whole buffer's window at the measured ratio
        // (730 / 2,304 of 4,096 = 1,296), rounded up to 1,408 (11 × 128).
        assert_eq!(m.window(730, 0), 1408);
    }

    proptest::proptest! {
        /// Whatever arrives and is read: the memory charged is that of the
        /// buffers still holding unread bytes, the window offered is a
        /// whole number of 128-byte units and never less than what was
        /// promised, and an empty queue costs nothing.
        #[test]
        fn memory_and_window_stay_consistent(
            steps in proptest::collection::vec((0usize..1461, proptest::bool::ANY), 1..60),
            promised in 0usize..2000,
        ) {
            let mut m = RcvMem::new(4096, 7);
            m.initial_window(1460);
            let (mut unread, mut rcv_mss) = (0usize, 536usize);
            for (n, read) in steps {
                if read {
                    m.consumed(n.min(unread));
                    unread -= n.min(unread);
                } else {
                    m.arrived(n, rcv_mss, 1460, 1460);
                    if n >= rcv_mss {
                        rcv_mss = n.min(1460);
                    }
                    unread += n;
                }
                let w = m.window(rcv_mss, promised);
                proptest::prop_assert_eq!(w % 128, 0);
                proptest::prop_assert!(w >= promised);
                proptest::prop_assert_eq!(unread == 0, m.rmem_alloc() == 0);
                proptest::prop_assert!(m.rmem_alloc() <= m.skbs.len() * (8192 + SKB_STRUCT));
            }
        }
    }
}
