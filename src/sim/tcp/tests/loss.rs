//! Lost segments: held bytes after a gap, duplicate ACKs and fast
//! retransmit, the retransmission timer, giving up, and slow start.

use super::*;

/// Sends what `from` wants to send now; returns the segments (not delivered).
fn flush(from: &mut TcpSocket, now: Instant, cfg: &TcpConfig) -> Vec<(Segment, SendReason)> {
    let mut o = Out::default();
    from.dispatch(now, cfg, &mut o);
    o.segments
}

#[test]
fn bytes_after_a_gap_are_held_unreadable_and_three_duplicate_acks_resend_the_lost_one() {
    let (mut c, mut s, cfg) = pair(64_000, 100);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(&[b'x'; 600], &mut out);
    let segs = flush(&mut c, Instant::ZERO, &cfg);
    assert_eq!(
        segs.len(),
        6,
        "600 bytes in six segments of 100: cwnd is 10"
    );
    // The second segment is lost; the other four reach the server.
    let t = Instant::from_millis(2);
    let mut acks = vec![];
    for (i, (seg, _)) in segs.iter().enumerate() {
        if i == 1 {
            continue;
        }
        let mut o = Out::default();
        s.process(seg, t, &cfg, &mut o);
        s.dispatch(t, &cfg, &mut o);
        acks.extend(o.segments.into_iter().map(|(a, _)| a));
    }
    assert_eq!(s.rx.len(), 100, "only the first segment is readable");
    assert_eq!(s.out_of_order(), 400, "the four after the gap are held");
    let mut o = Out::default();
    assert_eq!(s.app_recv(1000, &mut o).unwrap().0.len(), 100);
    assert_eq!(s.app_recv(1000, &mut o), None, "held bytes cannot be read");
    let first_ack = c.iss + 101;
    assert!(
        acks.iter().skip(1).all(|a| a.ack == first_ack),
        "every segment after the gap is answered at once with the same ACK"
    );
    assert_eq!(acks.len(), 5);
    assert_eq!(
        acks[4].options.sack[0],
        Some((c.iss + 201, c.iss + 601)),
        "the duplicate ACKs say what is held beyond the gap (SACK)"
    );
    // The client: one new ACK, then duplicates; the third resends.
    let mut o = Out::default();
    for a in &acks {
        c.process(a, t + Duration::from_millis(2), &cfg, &mut o);
    }
    let dups: Vec<u32> = o
        .events
        .iter()
        .filter_map(|e| match e {
            EventKind::DuplicateAck { count, .. } => Some(*count),
            _ => None,
        })
        .collect();
    assert_eq!(dups, vec![1, 2, 3, 4]);
    let resent: Vec<_> = o
        .segments
        .iter()
        .filter(|(_, r)| *r == SendReason::FastRetransmit)
        .collect();
    assert_eq!(resent.len(), 1, "fast retransmit once, on the third");
    assert_eq!(resent[0].0.seq, first_ack);
    assert_eq!(resent[0].0.payload.len(), 100);
    assert_eq!(c.congestion().phase(), congestion::Phase::Recovery);
    // The resent segment fills the gap: all 500 bytes become readable.
    let mut o = Out::default();
    s.process(&resent[0].0, t + Duration::from_millis(4), &cfg, &mut o);
    s.dispatch(t + Duration::from_millis(4), &cfg, &mut o);
    assert_eq!(s.rx.len(), 500);
    assert_eq!(s.out_of_order(), 0);
    let ack = o.segments.pop().unwrap().0;
    assert_eq!(ack.ack, c.snd_nxt, "ACKed at once, up to the end");
    let mut o = Out::default();
    c.process(&ack, t + Duration::from_millis(6), &cfg, &mut o);
    assert_eq!(
        c.congestion().phase(),
        congestion::Phase::CongestionAvoidance
    );
    assert!(
        !c.timers().is_armed(TimerKind::Retransmit),
        "nothing outstanding"
    );
}

#[test]
fn a_lone_lost_segment_waits_for_the_timer_and_cwnd_falls_to_one() {
    let (mut c, mut s, cfg) = pair(64_000, 100);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(b"lonely", &mut out);
    let segs = flush(&mut c, Instant::ZERO, &cfg);
    assert_eq!(segs.len(), 1);
    let deadline = c.timers().get(TimerKind::Retransmit).unwrap();
    assert_eq!(
        deadline,
        Instant::ZERO + rto::RTO_INITIAL,
        "no RTT sample yet: 1 s"
    );
    let mut o = Out::default();
    assert!(c.on_timer(TimerKind::Retransmit, deadline, &cfg, &mut o));
    let (again, reason) = o.segments.pop().unwrap();
    assert_eq!(
        (reason, again.payload.as_slice()),
        (SendReason::Retransmit, &b"lonely"[..])
    );
    assert_eq!(c.congestion().cwnd(), 1);
    assert_eq!(
        c.timers().get(TimerKind::Retransmit),
        Some(deadline + Duration::from_secs(2)),
        "the next try waits twice as long"
    );
    let mut o = Out::default();
    s.process(&again, deadline, &cfg, &mut o);
    assert_eq!(s.app_recv(100, &mut o).unwrap().0, b"lonely");
}

#[test]
fn a_connection_that_never_hears_back_gives_up_with_timeout_error() {
    let cfg = TcpConfig {
        retries: 3,
        timestamps: false,
        ..TcpConfig::default()
    };
    let (mut c, mut s, _) = pair_with(64_000, cfg.clone());
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(b"void", &mut out);
    flush(&mut c, Instant::ZERO, &cfg);
    let mut resends = 0;
    while let Some(at) = c.timers().get(TimerKind::Retransmit) {
        let mut o = Out::default();
        c.on_timer(TimerKind::Retransmit, at, &cfg, &mut o);
        resends += o
            .segments
            .iter()
            .filter(|(_, r)| *r == SendReason::Retransmit)
            .count();
        assert!(
            o.segments.iter().all(|(s, _)| !s.flags.rst),
            "no RST: it just stops"
        );
    }
    assert_eq!(resends, 3);
    assert_eq!(
        (c.state(), c.error()),
        (State::Closed, Some(SysError::TimedOut))
    );
}

#[test]
fn slow_start_grows_cwnd_only_when_it_limits_the_sender() {
    let (mut c, mut s, cfg) = pair(64_000, 100);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.app_send(&[b'y'; 3000], &mut out);
    let mut now = Instant::ZERO;
    let mut rounds = vec![];
    while c.snd_una < c.snd_nxt || c.unsent() > 0 {
        let segs = flush(&mut c, now, &cfg);
        rounds.push(segs.len());
        now += Duration::from_millis(4);
        let mut acks = Out::default();
        for (seg, _) in &segs {
            s.process(seg, now, &cfg, &mut acks);
            s.ack.now = true; // ACK every segment, for a clean count
            s.dispatch(now, &cfg, &mut acks);
            let mut o = Out::default();
            s.app_recv(100_000, &mut o);
        }
        for (a, _) in acks.segments {
            c.process(&a, now, &cfg, &mut Out::default());
        }
    }
    assert_eq!(
        rounds,
        vec![10, 20],
        "30 segments: 10, then 20 (cwnd doubled)"
    );
    assert_eq!(c.congestion().cwnd(), 40);
    // An echo-style exchange of one segment at a time does not grow it.
    let before = c.congestion().cwnd();
    for _ in 0..5 {
        c.app_send(b"ping", &mut Out::default());
        let segs = flush(&mut c, now, &cfg);
        for (seg, _) in segs {
            s.process(&seg, now, &cfg, &mut Out::default());
        }
        s.ack.now = true;
        for (a, _) in flush(&mut s, now, &cfg) {
            c.process(&a, now, &cfg, &mut Out::default());
        }
        s.app_recv(100, &mut Out::default());
    }
    assert_eq!(c.congestion().cwnd(), before);
}
