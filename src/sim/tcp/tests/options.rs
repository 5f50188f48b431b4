//! The handshake's options (MSS, window scale, timestamps, SACK) and what
//! `recv()` tells about how the bytes were sent.

use super::*;
use crate::sim::event::RecvShape;

#[test]
fn a_syn_offers_linux_s_options_and_the_syn_ack_answers_them() {
    let (mut c, mut s, cfg) = pair_with(65_535, TcpConfig::default());
    let mut oc = Out::default();
    let mut os = Out::default();
    c.connect(&mut oc);
    let t0 = Instant::from_millis(7);
    c.dispatch(t0, &cfg, &mut oc);
    let syn = sent(&mut oc).remove(0);
    let ts = syn.options.timestamps.expect("the SYN offers timestamps");
    assert_eq!(
        (syn.options.mss, syn.options.sack_permitted, syn.options.window_scale, ts.ecr),
        (Some(1460), true, Some(0), 0),
        "MSS 1460, SACK-permitted, timestamps echoing nothing yet, window scale 0 for a 64 KB buffer"
    );
    assert_eq!(syn.options.wire_len(), 20);
    s.accept_syn(&syn, crate::sim::ids::SockId(0), &mut os);
    let t1 = Instant::from_millis(9);
    s.dispatch(t1, &cfg, &mut os);
    let synack = sent(&mut os).remove(0);
    let sts = synack.options.timestamps.expect("answered");
    assert_eq!(sts.ecr, ts.val, "the SYN-ACK echoes the SYN's TSval");
    assert!(synack.options.sack_permitted && synack.options.window_scale == Some(0));
    c.process(&synack, t1, &cfg, &mut oc);
    assert_eq!(
        c.mss(),
        1448,
        "every segment now spends 12 bytes on timestamps"
    );
    c.dispatch(t1, &cfg, &mut oc);
    let ack = sent(&mut oc).remove(0);
    assert_eq!(
        ack.options,
        TcpOptions {
            timestamps: Some(Timestamps {
                val: ts.val + 2,
                ecr: sts.val
            }),
            ..TcpOptions::default()
        },
        "after the handshake only the timestamps remain; TSval counts milliseconds"
    );
    s.process(&ack, t1, &cfg, &mut os);
    assert_eq!(s.mss(), 1448);
    // A full segment carries MSS − 12 bytes.
    let mut out = Out::default();
    c.app_send(&[b'x'; 3000], &mut out);
    c.dispatch(t1, &cfg, &mut out);
    let lens: Vec<_> = sent(&mut out).iter().map(|s| s.payload.len()).collect();
    assert_eq!(lens, vec![1448, 1448, 104]);
}

#[test]
fn an_option_only_one_side_offers_stays_off() {
    let cfg = TcpConfig::default();
    let quiet = TcpConfig {
        timestamps: false,
        sack: false,
        ..TcpConfig::default()
    };
    let a = Endpoint::new(Ipv4Addr::new(10, 0, 0, 2), 40000);
    let b = Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 8080);
    let mut c = TcpSocket::new(a, b, SeqNumber(1), (65_535, 65_535), &quiet);
    let mut s = TcpSocket::new(b, a, SeqNumber(9), (65_535, 65_535), &cfg);
    let mut oc = Out::default();
    let mut os = Out::default();
    c.connect(&mut oc);
    c.dispatch(Instant::ZERO, &quiet, &mut oc);
    let syn = sent(&mut oc).remove(0);
    assert_eq!(
        (syn.options.timestamps, syn.options.sack_permitted),
        (None, false)
    );
    assert_eq!(syn.options.wire_len(), 8, "MSS, NOP, window scale");
    s.accept_syn(&syn, crate::sim::ids::SockId(0), &mut os);
    s.dispatch(Instant::ZERO, &cfg, &mut os);
    let synack = sent(&mut os).remove(0);
    assert_eq!(
        (synack.options.timestamps, synack.options.sack_permitted),
        (None, false),
        "the SYN-ACK answers only what the SYN offered"
    );
    c.process(&synack, Instant::ZERO, &quiet, &mut oc);
    assert_eq!((c.mss(), s.mss()), (1460, 1460));
    c.dispatch(Instant::ZERO, &quiet, &mut oc);
    assert_eq!(sent(&mut oc).remove(0).options, TcpOptions::default());
}

#[test]
fn tsecr_echoes_the_earliest_segment_an_ack_covers() {
    let (mut c, mut s, cfg) = pair_with(65_535, TcpConfig::default());
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.set_nodelay(true, &mut out);
    let mut vals = vec![];
    for (ms, data) in [(10, b"first"), (30, b"later")] {
        let now = Instant::from_millis(ms);
        c.app_send(data, &mut out);
        c.dispatch(now, &cfg, &mut out);
        for seg in sent(&mut out) {
            vals.push(seg.options.timestamps.unwrap().val);
            s.process(&seg, now, &cfg, &mut Out::default());
        }
    }
    assert_eq!(
        vals[1] - vals[0],
        20,
        "TSval is the sender's millisecond clock"
    );
    let mut os = Out::default();
    s.ack.now = true;
    s.dispatch(Instant::from_millis(30), &cfg, &mut os);
    let ack = sent(&mut os).pop().unwrap();
    assert_eq!(ack.ack, c.snd_nxt, "one ACK for both");
    assert_eq!(
        ack.options.timestamps.unwrap().ecr,
        vals[0],
        "it echoes the first segment it acknowledges, not the latest (RFC 7323 §4.3)"
    );
}

#[test]
fn recv_tells_one_send_split_from_several_merged() {
    let (mut c, mut s, cfg) = pair(64, 536);
    establish(&mut c, &mut s, &cfg);
    let mut out = Out::default();
    c.set_nodelay(true, &mut out);
    for msg in [&b"ab"[..], b"cd"] {
        c.app_send(msg, &mut out);
        c.dispatch(Instant::ZERO, &cfg, &mut out);
    }
    let segs = sent(&mut out);
    assert_eq!(segs.len(), 2, "TCP_NODELAY: one segment per send");
    for seg in &segs {
        assert_eq!(
            seg.write_ends,
            vec![2],
            "each send ends at its segment's end"
        );
        s.process(seg, Instant::ZERO, &cfg, &mut out);
    }
    let shape = |ends, from_start, to_end, waiting| {
        Some(RecvShape {
            waiting,
            ends,
            from_start,
            to_end,
        })
    };
    assert_eq!(
        s.app_recv(1024, &mut out).unwrap(),
        (b"abcd".to_vec(), shape(2, true, true, 4)),
        "two sends, merged"
    );
    c.app_send(b"hello", &mut out);
    deliver(&mut c, &mut s, Instant::ZERO, &cfg);
    let mut out = Out::default();
    assert_eq!(
        s.app_recv(3, &mut out).unwrap(),
        (b"hel".to_vec(), shape(0, true, false, 5)),
        "one send, cut by the size asked for"
    );
    assert_eq!(
        s.app_recv(3, &mut out).unwrap(),
        (b"lo".to_vec(), shape(1, false, true, 2)),
        "its rest"
    );
    c.app_send(b"whole", &mut out);
    deliver(&mut c, &mut s, Instant::ZERO, &cfg);
    let mut out = Out::default();
    assert_eq!(
        s.app_recv(1024, &mut out).unwrap(),
        (b"whole".to_vec(), shape(1, true, true, 5)),
        "exactly one send"
    );
}
