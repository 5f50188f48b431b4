//! Two sockets wired by hand: every segment one puts in its `Out` is handed
//! to the other, so each rule can be checked without a world.

mod loss;
mod options;

use super::*;
use std::net::Ipv4Addr;

/// A client and a server socket with `cap`-byte buffers, not yet connected.
/// Timestamps are off (as with `net.ipv4.tcp_timestamps = 0`), so a
/// segment's payload may be the whole of a tiny MSS.
pub(crate) fn pair(cap: usize, mss: u16) -> (TcpSocket, TcpSocket, TcpConfig) {
    pair_with(
        cap,
        TcpConfig {
            mss,
            timestamps: false,
            ..TcpConfig::default()
        },
    )
}

/// A client and a server socket with `cap`-byte buffers and the config `cfg`.
pub(crate) fn pair_with(cap: usize, cfg: TcpConfig) -> (TcpSocket, TcpSocket, TcpConfig) {
    let a = Endpoint::new(Ipv4Addr::new(10, 0, 0, 2), 40000);
    let b = Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 8080);
    let client = TcpSocket::new(a, b, SeqNumber(1000), (cap, cap), &cfg);
    let server = TcpSocket::new(b, a, SeqNumber(u32::MAX - 2), (cap, cap), &cfg);
    (client, server, cfg)
}

/// Runs the handshake by hand: SYN, SYN-ACK, ACK. Returns every state
/// change, as (client?, from, to).
pub(crate) fn establish(
    c: &mut TcpSocket,
    s: &mut TcpSocket,
    cfg: &TcpConfig,
) -> Vec<(bool, State, State)> {
    let mut states = vec![];
    let mut take = |out: &mut Out, client: bool| {
        for e in out.events.drain(..) {
            if let EventKind::State { from, to } = e {
                states.push((client, from, to));
            }
        }
    };
    let mut oc = Out::default();
    let mut os = Out::default();
    c.connect(&mut oc);
    c.dispatch(Instant::ZERO, cfg, &mut oc);
    let syn = oc.segments.remove(0).0;
    assert!(syn.flags.syn && syn.options.mss == Some(cfg.mss));
    take(&mut oc, true);
    s.accept_syn(&syn, crate::sim::ids::SockId(0), &mut os);
    s.dispatch(Instant::ZERO, cfg, &mut os);
    let synack = os.segments.remove(0).0;
    assert!(synack.flags.syn && synack.flags.ack && synack.ack == c.iss + 1);
    take(&mut os, false);
    c.process(&synack, Instant::ZERO, cfg, &mut oc);
    assert_eq!(c.state(), State::Established);
    assert_eq!(
        oc.timers,
        vec![
            (TimerKind::SynRetransmit, Some(Instant::ZERO + cfg.syn_rto)),
            (TimerKind::SynRetransmit, None)
        ],
        "the SYN's retransmission timer is armed, then stopped by the SYN-ACK"
    );
    c.dispatch(Instant::ZERO, cfg, &mut oc);
    let ack = oc.segments.remove(0).0;
    take(&mut oc, true);
    s.process(&ack, Instant::ZERO, cfg, &mut os);
    assert!(os.handshake_done);
    assert_eq!(s.state(), State::Established);
    take(&mut os, false);
    states
}

fn sent(out: &mut Out) -> Vec<Segment> {
    out.segments.drain(..).map(|(s, _)| s).collect()
}

/// Delivers everything `from` wants to send now to `to`.
fn deliver(from: &mut TcpSocket, to: &mut TcpSocket, now: Instant, cfg: &TcpConfig) -> Out {
    let mut o = Out::default();
    from.dispatch(now, cfg, &mut o);
    let mut answer = Out::default();
    for (seg, _) in o.segments {
        to.process(&seg, now, cfg, &mut answer);
    }
    answer
}

#[test]
fn every_transition_is_reported_by_set_state() {
    let (mut c, mut s, cfg) = pair(64, 536);
    assert_eq!(
        establish(&mut c, &mut s, &cfg),
        vec![
            (true, State::Closed, State::SynSent),
            (false, State::Listen, State::SynReceived),
            (true, State::SynSent, State::Established),
            (false, State::SynReceived, State::Established),
        ]
    );
}

#[test]
fn segments_are_at_most_mss_and_at_most_the_peer_window() {
    let (mut c, mut s, cfg) = pair(16, 6);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    assert_eq!(
        c.app_send(b"0123456789abcdefXYZ", &mut out),
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
fn the_usable_window_is_what_the_peer_allows_beyond_snd_nxt_and_never_negative() {
    let (mut c, mut s, cfg) = pair(16, 6);
    establish(&mut c, &mut s, &cfg);
    assert_eq!(c.usable_window(), 16, "nothing sent: the whole window");
    let mut out = Out::default();
    c.app_send(b"0123456789", &mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    assert_eq!(c.snd_nxt - c.snd_una, 10);
    assert_eq!(c.usable_window(), 6, "16 allowed, 10 in flight");
    // A peer that shrinks its window below what is in flight (RFC 9293
    // 3.8.6 discourages it; Linux never does) leaves nothing usable.
    c.snd_wnd = 4;
    assert_eq!(c.usable_window(), 0);
}

#[test]
fn ack_frees_send_buffer_space_and_zero_window_arms_persist() {
    let (mut c, mut s, cfg) = pair(8, 4);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(b"abcdefgh", &mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    for seg in sent(&mut out) {
        s.process(&seg, Instant::ZERO, &cfg, &mut out);
    }
    assert_eq!(s.rx.window(), 0);
    s.dispatch(Instant::ZERO, &cfg, &mut out);
    let ack = sent(&mut out).pop().unwrap();
    assert_eq!(
        (ack.window, ack.ack),
        (0, c.snd_nxt),
        "full buffer: window 0"
    );
    c.process(&ack, Instant::ZERO, &cfg, &mut out);
    assert_eq!(c.tx.len(), 0, "the ACK freed all 8 bytes");
    c.app_send(b"ij", &mut out);
    out.timers.clear();
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    assert!(
        out.segments.is_empty(),
        "nothing may be sent into a zero window"
    );
    let at = Instant::ZERO + cfg.persist_first;
    assert_eq!(out.timers, vec![(TimerKind::Persist, Some(at))]);
    assert_eq!(c.timers().next(), Some((TimerKind::Persist, at)));
}

#[test]
fn an_empty_probe_is_answered_with_the_window_then_recv_reopens_it() {
    let (mut c, mut s, cfg) = pair(4, 4);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(b"abcd", &mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    let data = sent(&mut out).pop().unwrap();
    s.process(&data, Instant::ZERO, &cfg, &mut out);
    s.dispatch(Instant::ZERO, &cfg, &mut out);
    c.process(
        &sent(&mut out).pop().unwrap(),
        Instant::ZERO,
        &cfg,
        &mut out,
    );
    c.app_send(b"ef", &mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    let at = c.timers().get(TimerKind::Persist).expect("persist armed");
    out.timers.clear();
    // Not yet due: nothing happens.
    assert!(!c.on_timer(TimerKind::Persist, Instant(1), &cfg, &mut out));
    // The persist timer fires: Linux's probe, an empty segment with the
    // sequence number SND.UNA − 1; the timer is re-armed with twice the
    // interval.
    assert!(c.on_timer(TimerKind::Persist, at, &cfg, &mut out));
    assert_eq!(
        out.timers,
        vec![(TimerKind::Persist, Some(at + cfg.persist_first.doubled()))]
    );
    let probe = sent(&mut out).pop().unwrap();
    assert!(probe.payload.is_empty() && probe.flags.ack);
    assert_eq!(probe.seq, SeqNumber(c.snd_una.0.wrapping_sub(1)));
    s.process(&probe, at, &cfg, &mut out);
    s.dispatch(at, &cfg, &mut out);
    let refusal = sent(&mut out).pop().unwrap();
    assert_eq!(refusal.window, 0, "answered at once: still no room");
    c.process(&refusal, at, &cfg, &mut out);
    // The program reads: the window reopens and a window update goes out.
    assert_eq!(s.app_recv(1024, &mut out).unwrap().0, b"abcd");
    s.dispatch(at, &cfg, &mut out);
    let (update, reason) = out.segments.pop().unwrap();
    assert_eq!((reason, update.window), (SendReason::WindowUpdate, 4));
    out.timers.clear();
    c.process(&update, at, &cfg, &mut out);
    assert_eq!(
        out.timers,
        vec![(TimerKind::Persist, None)],
        "an open window stops the persist timer"
    );
    c.dispatch(at, &cfg, &mut out);
    let resent = sent(&mut out).pop().unwrap();
    assert_eq!(resent.payload, b"ef", "sending resumes at SND.UNA");
    s.process(&resent, at, &cfg, &mut out);
    assert_eq!(s.app_recv(1024, &mut out).unwrap().0, b"ef");
}

#[test]
fn recv_returns_up_to_n_blocks_when_empty_and_empty_bytes_after_fin() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    assert_eq!(s.app_recv(10, &mut out), None, "empty: would block");
    c.app_send(b"hello", &mut out);
    c.app_shutdown_write(&mut out);
    assert_eq!(c.state(), State::FinWait1);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    let segs = sent(&mut out);
    assert!(
        segs.len() == 1 && segs[0].flags.fin && segs[0].payload == b"hello",
        "FIN rides on the last data segment, as Linux sends it"
    );
    for seg in &segs {
        s.process(seg, Instant::ZERO, &cfg, &mut out);
    }
    assert_eq!(s.state(), State::CloseWait);
    assert_eq!(s.app_recv(3, &mut out).unwrap().0, b"hel");
    assert_eq!(s.app_recv(3, &mut out).unwrap().0, b"lo");
    assert_eq!(
        s.app_recv(3, &mut out).unwrap().0,
        b"",
        "drained + FIN = b''"
    );
}

/// A program that closes right after reading b'' saves a segment: its FIN
/// carries the ACK of the peer's FIN (three segments, as on Linux).
#[test]
fn a_prompt_close_carries_the_ack_on_its_fin() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let t = Instant::ZERO;
    c.app_shutdown_write(&mut Out::default());
    deliver(&mut c, &mut s, t, &cfg); // FIN →
    s.app_shutdown_write(&mut Out::default());
    let mut o = Out::default();
    s.dispatch(t, &cfg, &mut o);
    let segs = sent(&mut o);
    assert!(segs.len() == 1 && segs[0].flags.fin && segs[0].flags.ack);
    assert_eq!(segs[0].ack, c.snd_nxt, "it acknowledges the client's FIN");
    c.process(&segs[0], t, &cfg, &mut Out::default());
    assert_eq!(
        c.state(),
        State::TimeWait,
        "FIN-WAIT-1 straight to TIME-WAIT"
    );
}

#[test]
fn four_way_close_walks_the_rfc_states_and_time_wait_expires() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    let t = Instant::ZERO;
    c.app_shutdown_write(&mut out);
    let at_server = deliver(&mut c, &mut s, t, &cfg); // FIN →
    assert_eq!(s.state(), State::CloseWait);
    // The server's kernel delays that ACK (a FIN while established enters
    // ping-pong mode: the program's own FIN may carry it), by one timer
    // tick only, since no data has arrived (Linux's `ato` is still 0)...
    let (kind, at) = at_server.timers[0];
    assert_eq!((kind, at), (TimerKind::DelayedAck, Some(t + ack::TICK)));
    assert!(deliver(&mut s, &mut c, t, &cfg).segments.is_empty());
    assert_eq!(c.state(), State::FinWait1);
    // ...until its timer fires: then it goes alone.
    let late = t + ack::TICK;
    let mut o = Out::default();
    assert!(s.on_timer(TimerKind::DelayedAck, late, &cfg, &mut o));
    for (seg, reason) in o.segments {
        assert_eq!(reason, SendReason::Ack);
        c.process(&seg, late, &cfg, &mut Out::default());
    }
    assert_eq!(c.state(), State::FinWait2);
    s.app_shutdown_write(&mut out);
    assert_eq!(s.state(), State::LastAck);
    let at_client = deliver(&mut s, &mut c, t, &cfg); // ← FIN
    assert_eq!(c.state(), State::TimeWait);
    assert_eq!(
        at_client.timers,
        vec![(TimerKind::TimeWait, Some(t + cfg.time_wait))]
    );
    deliver(&mut c, &mut s, t, &cfg); // ACK →
    assert_eq!(s.state(), State::Closed);
    let mut out = Out::default();
    assert!(c.on_timer(TimerKind::TimeWait, t + cfg.time_wait, &cfg, &mut out));
    assert_eq!(c.state(), State::Closed);
    assert_eq!(
        out.events[0],
        EventKind::Timer {
            timer: TimerKind::TimeWait
        }
    );
}

#[test]
fn simultaneous_close_goes_through_closing() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut oc = Out::default();
    let mut os = Out::default();
    c.app_shutdown_write(&mut oc);
    s.app_shutdown_write(&mut os);
    c.dispatch(Instant::ZERO, &cfg, &mut oc);
    s.dispatch(Instant::ZERO, &cfg, &mut os);
    let (fc, fs) = (sent(&mut oc).pop().unwrap(), sent(&mut os).pop().unwrap());
    c.process(&fs, Instant::ZERO, &cfg, &mut oc);
    assert_eq!(c.state(), State::Closing);
    s.process(&fc, Instant::ZERO, &cfg, &mut os);
    c.dispatch(Instant::ZERO, &cfg, &mut oc);
    s.process(&sent(&mut oc).pop().unwrap(), Instant::ZERO, &cfg, &mut os);
    assert_eq!(s.state(), State::TimeWait);
}

#[test]
fn data_for_a_closed_program_resets_the_connection() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_close(Instant::ZERO, &mut out);
    assert_eq!(c.state(), State::FinWait1, "nothing unread: FIN");
    s.app_send(b"late", &mut out);
    s.dispatch(Instant::ZERO, &cfg, &mut out);
    let data = sent(&mut out).pop().unwrap();
    c.process(&data, Instant::ZERO, &cfg, &mut out);
    let (rst, reason) = out.segments.pop().unwrap();
    assert!(rst.flags.rst && reason == SendReason::Rst);
    // Linux answers the segment (tcp_v4_send_reset): a bare RST whose
    // sequence number is the data's ACK number, as on real loopback.
    assert!(!rst.flags.ack, "bare [RST]");
    assert_eq!(rst.seq, data.ack);
    assert_eq!(c.state(), State::Closed);
    s.process(&rst, Instant::ZERO, &cfg, &mut out);
    assert_eq!(
        (s.state(), s.error()),
        (State::Closed, Some(SysError::ConnectionReset))
    );
}

#[test]
fn close_with_unread_bytes_sends_rst_not_fin() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    s.app_send(b"unread", &mut out);
    deliver(&mut s, &mut c, Instant::ZERO, &cfg);
    let mut out = Out::default();
    c.app_close(Instant::ZERO, &mut out);
    let reasons: Vec<_> = out.segments.iter().map(|(_, r)| *r).collect();
    assert_eq!(reasons, vec![SendReason::Rst]);
    // An abort (tcp_send_active_reset) carries an ACK: [RST, ACK].
    assert!(out.segments[0].0.flags.ack);
    assert_eq!(c.state(), State::Closed);
}

#[test]
fn duplicate_bytes_are_trimmed_so_each_byte_is_stored_once() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(b"abc", &mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    let seg = sent(&mut out).pop().unwrap();
    s.process(&seg, Instant::ZERO, &cfg, &mut out);
    s.process(&seg, Instant::ZERO, &cfg, &mut out);
    assert_eq!(s.rx.to_vec(), b"abc");
}

#[test]
fn syn_is_retransmitted_with_backoff_then_connect_times_out() {
    let (mut c, _s, cfg) = pair(64, 536);
    let mut out = Out::default();
    c.connect(&mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    let mut whens = vec![];
    let mut syns = 1;
    for _ in 0..=(cfg.syn_retries + cfg.syn_linear_timeouts) {
        let (kind, at) = out.timers.pop().unwrap();
        let at = at.expect("armed");
        whens.push(at.0 / 1_000_000);
        out.segments.clear();
        assert!(c.on_timer(kind, at, &cfg, &mut out));
        syns += out.segments.iter().filter(|(s, _)| s.flags.syn).count();
    }
    // Linux 6.5+ (`tcp_syn_linear_timeouts` = 4, `tcp_syn_retries` = 6):
    // five timeouts of 1 s, then doubling; the SYN goes 11 times, and
    // connect() gives up 131 s after the first (measured on Linux 6.18:
    // SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19 s…).
    assert_eq!(whens, [1, 2, 3, 4, 5, 7, 11, 19, 35, 67, 131]);
    assert_eq!(syns, 11);
    assert_eq!(
        (c.state(), c.error()),
        (State::Closed, Some(SysError::TimedOut))
    );
    // The SYN was never acknowledged, and it is no data: nothing is in
    // flight (found by the property test at 44 % loss).
    assert_eq!(c.data_in_flight(), 0);
}

/// A timer kind stopped or re-armed leaves the others alone: opening the
/// window (which stops the persist timer) must not cancel TIME-WAIT.
#[test]
fn stopping_one_timer_leaves_the_others_armed() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_shutdown_write(&mut out);
    deliver(&mut c, &mut s, Instant::ZERO, &cfg);
    deliver(&mut s, &mut c, Instant::ZERO, &cfg);
    s.app_shutdown_write(&mut out);
    deliver(&mut s, &mut c, Instant::ZERO, &cfg);
    assert_eq!(c.state(), State::TimeWait);
    c.timers.set(TimerKind::Persist, Instant(5));
    let mut out = Out::default();
    c.disarm(TimerKind::Persist, &mut out);
    assert_eq!(
        c.timers().next(),
        Some((TimerKind::TimeWait, Instant::ZERO + cfg.time_wait))
    );
}

#[test]
fn a_bigger_receive_buffer_is_announced_and_never_shrinks_below_the_promise() {
    let (mut c, mut s, cfg) = pair(4, 4);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(b"abcd", &mut out);
    deliver(&mut c, &mut s, Instant::ZERO, &cfg);
    s.dispatch(Instant::ZERO, &cfg, &mut out);
    assert_eq!(sent(&mut out).pop().unwrap().window, 0, "full");
    // Shrinking to 1 cannot drop stored bytes.
    let mut out = Out::default();
    s.resize_buffers(4, 1, &mut out);
    assert_eq!(s.rx.capacity(), 4);
    // Growing to 16 opens a window of 12 and announces it.
    s.resize_buffers(4, 16, &mut out);
    assert!(out.poll);
    s.dispatch(Instant::ZERO, &cfg, &mut out);
    let (update, reason) = out.segments.pop().unwrap();
    assert_eq!((reason, update.window), (SendReason::WindowUpdate, 12));
    let resized: Vec<_> = out
        .events
        .iter()
        .filter(|e| {
            matches!(
                e,
                EventKind::Buffer {
                    cause: BufferCause::Resized,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(resized.len(), 1, "only the receive buffer changed size");
}

#[test]
fn a_window_smaller_than_a_segment_waits_for_the_persist_timer_then_is_filled() {
    // Linux's sender-side silly window avoidance: an 11-byte window takes
    // a full segment and the 3 bytes up to its edge in one go, but a
    // window of 3 bytes alone is used only when the persist timer fires.
    let (mut c, mut s, cfg) = pair(11, 8);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(b"abcdefghijk", &mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    let burst = sent(&mut out);
    let shape: Vec<(usize, bool)> = burst
        .iter()
        .map(|g| (g.payload.len(), g.flags.psh))
        .collect();
    assert_eq!(
        shape,
        vec![(8, false), (3, true)],
        "cut at the window's edge"
    );
    for seg in &burst {
        s.process(seg, Instant::ZERO, &cfg, &mut out);
    }
    s.dispatch(Instant::ZERO, &cfg, &mut out);
    let full = sent(&mut out).pop().unwrap();
    assert_eq!(full.window, 0);
    c.process(&full, Instant::ZERO, &cfg, &mut out);
    // The ACK freed the send buffer: the rest of the message goes in.
    assert_eq!(c.app_send(b"lmnopqrs", &mut out), 8);
    // The server reads 3 bytes: a window update offers 3.
    assert_eq!(s.app_recv(3, &mut out).unwrap().0, b"abc");
    s.dispatch(Instant::ZERO, &cfg, &mut out);
    let update = sent(&mut out).pop().unwrap();
    assert_eq!(update.window, 3);
    out.timers.clear();
    c.process(&update, Instant::ZERO, &cfg, &mut out);
    c.dispatch(Instant::ZERO, &cfg, &mut out);
    assert!(
        sent(&mut out).is_empty(),
        "3 bytes of window for 8 waiting: wait"
    );
    let at = c
        .timers()
        .get(TimerKind::Persist)
        .expect("the persist timer runs");
    assert!(at >= Instant::ZERO + cfg.persist_first);
    assert!(c.on_timer(TimerKind::Persist, at, &cfg, &mut out));
    let segs: Vec<_> = out.segments.drain(..).collect();
    assert_eq!(segs.len(), 1);
    let (seg, reason) = &segs[0];
    assert_eq!(*reason, SendReason::PersistData);
    assert_eq!((seg.payload.as_slice(), seg.flags.psh), (&b"lmn"[..], true));
}

#[test]
fn probes_are_answered_at_most_once_per_500_ms() {
    let (mut c, mut s, cfg) = pair(4, 4);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    let probe_at = |ms: u64, s: &mut TcpSocket, out: &mut Out| {
        let probe = Segment {
            src: c.local,
            dst: c.remote,
            seq: SeqNumber(s.rcv_nxt.0.wrapping_sub(1)),
            ack: s.snd_nxt,
            flags: Flags {
                ack: true,
                ..Flags::default()
            },
            window: 4,
            options: Default::default(),
            payload: vec![],
            write_ends: vec![],
        };
        let now = Instant::from_millis(ms);
        s.process(&probe, now, &cfg, out);
        s.dispatch(now, &cfg, out);
        let dropped = out.events.drain(..).any(|e| {
            matches!(
                e,
                EventKind::SegmentDropped {
                    reason: crate::sim::event::DropReason::AnswerRateLimited,
                    ..
                }
            )
        });
        (sent(out).len(), dropped)
    };
    assert_eq!(probe_at(1000, &mut s, &mut out), (1, false), "answered");
    assert_eq!(
        probe_at(1400, &mut s, &mut out),
        (0, true),
        "400 ms later: not"
    );
    assert_eq!(
        probe_at(1600, &mut s, &mut out),
        (1, false),
        "600 ms later: answered"
    );
}
