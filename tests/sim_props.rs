//! Property tests over random learner actions: no panic, every byte sent
//! arrives once and in order or is still accounted for (in a buffer or on the
//! wire), no buffer exceeds its capacity, and replay gives the same world
//! and the same log.

use proptest::prelude::*;
use sockscope::echo::TextEncoding;
use sockscope::sim::event::{BufferCause, BufferSide, Ret};
use sockscope::sim::view::SocketDetail;
use sockscope::sim::{Action, Endpoint, EventKind, HostId, LessonId, Run, Setup, SockId};
use std::collections::{BTreeMap, BTreeSet};

fn action() -> impl Strategy<Value = Action> {
    let client = 1u8..=4;
    let text = prop::sample::select(vec![
        "hi",
        "你好",
        "a much longer message, longer than most buffers",
        "ab一二三",
        "x",
    ]);
    prop_oneof![
        2 => Just(Action::AddClient),
        4 => (client.clone(), text).prop_map(|(client, t)| Action::Send { client, text: t.to_string() }),
        3 => client.clone().prop_map(|client| Action::RecvNow { client }),
        1 => client.clone().prop_map(|client| Action::Close { client }),
        1 => client.clone().prop_map(|client| Action::RemoveClient { client }),
        1 => (0u8..=4, 1u32..48, 1u32..48).prop_map(|(target, s, r)| Action::SetBuffers { target, send_capacity: s, recv_capacity: r }),
        1 => prop::sample::select(vec![TextEncoding::Gbk, TextEncoding::Utf8]).prop_map(|encoding| Action::SetEncoding { encoding }),
        1 => (0u8..=60).prop_map(|percent| Action::SetLoss { percent }),
        1 => (0u64..200).prop_map(|segment| Action::DropSegment { segment }),
        1 => (1u32..=20).prop_map(|ms| Action::SetDelay { ms }),
        2 => prop::sample::select(vec![
            "http://www.example.test/about.html",
            "http://www.example.test/?page=1&count=10",
            "http://www.example.test/../secret",
            "http://www.example.test/%2e%2e/x",
            "http://www.example.test:8080/",
            "https://www.example.test/",
            "http://elsewhere.test/",
            "not a url",
        ]).prop_map(|url| Action::Navigate { url: url.to_string() }),
    ]
}

/// Any lesson; the sandbox (where the learner does everything) more often.
fn lesson() -> impl Strategy<Value = LessonId> {
    prop_oneof![
        1 => Just(LessonId::Sandbox),
        1 => prop::sample::select(LessonId::ALL.to_vec()),
    ]
}

/// A run from a script: (steps to play, then an action), then play on.
fn play(lesson: LessonId, seed: u64, script: &[(u16, Action)], tail: u64) -> Run {
    let mut run = Run::with_snapshot_interval(Setup::new(lesson, seed), 32);
    for (steps, a) in script {
        run.play(*steps as u64);
        run.apply(a.clone());
    }
    run.play(tail);
    run
}

type Key = (Endpoint, Endpoint); // (local, remote) of one side

#[derive(Default, Debug)]
struct Stream {
    /// Bytes by offset from the first data byte, as put on the wire.
    wire: BTreeMap<usize, u8>,
    app_sent: usize,
    received: Vec<u8>,
    iss: Option<u32>,
}

fn check_bytes(run: &Run) -> Result<(), TestCaseError> {
    let mut sock_key: BTreeMap<(HostId, SockId), Key> = BTreeMap::new();
    let mut streams: BTreeMap<Key, Stream> = BTreeMap::new();
    let mut reset: BTreeSet<Key> = BTreeSet::new();
    let log = run.log();
    // The connection a socket belongs to: the one of its segments so far,
    // else of its next segment sent (a connection made from a SYN cookie
    // has no segment of its own before the program accepts it, and may
    // even read the peer's FIN before it sends anything).
    let key_of =
        |i: usize, sock_key: &BTreeMap<(HostId, SockId), Key>, e: &sockscope::sim::event::Event| {
            let id = (e.host.unwrap(), e.socket.unwrap());
            sock_key.get(&id).copied().or_else(|| {
                log[i..].iter().find_map(|x| match &x.kind {
                    EventKind::SegmentSent { segment: s, .. }
                        if x.host == e.host && x.socket == e.socket =>
                    {
                        Some((s.src, s.dst))
                    }
                    _ => None,
                })
            })
        };
    for (i, e) in log.iter().enumerate() {
        match &e.kind {
            EventKind::SegmentSent { segment: s, .. } => {
                let key = (s.src, s.dst);
                if let (Some(h), Some(id)) = (e.host, e.socket) {
                    sock_key.insert((h, id), key);
                }
                let st = streams.entry(key).or_default();
                if s.flags.syn {
                    st.iss = Some(s.seq.0);
                }
                if s.flags.rst {
                    reset.insert(key);
                    reset.insert((s.dst, s.src));
                }
                if let Some(iss) = st.iss {
                    let off = s.seq.0.wrapping_sub(iss).wrapping_sub(1) as usize;
                    for (i, b) in s.payload.iter().enumerate() {
                        let prev = st.wire.insert(off + i, *b);
                        prop_assert!(
                            prev.is_none() || prev == Some(*b),
                            "a resent byte differs at offset {}",
                            off + i
                        );
                    }
                }
            }
            // A connection the kernel gave up on fails with TimeoutError:
            // what it had not delivered is lost, as documented.
            EventKind::GaveUp { .. } => {
                if let Some(key) = sock_key.get(&(e.host.unwrap(), e.socket.unwrap())) {
                    reset.insert(*key);
                    reset.insert((key.1, key.0));
                }
            }
            EventKind::SegmentDelivered { segment: s } => {
                if let (Some(h), Some(id)) = (e.host, e.socket) {
                    if !s.flags.rst {
                        sock_key.entry((h, id)).or_insert((s.dst, s.src));
                    }
                }
            }
            EventKind::Buffer {
                side,
                cause,
                delta,
                len,
                capacity,
            } => {
                prop_assert!(len <= capacity, "buffer over capacity: {len} > {capacity}");
                if *side == BufferSide::Send && *cause == BufferCause::AppSend {
                    let key = key_of(i, &sock_key, e).expect("bytes sent go out on a connection");
                    streams.entry(key).or_default().app_sent += *delta as usize;
                }
            }
            EventKind::Return {
                ret: Ret::Received { data, .. },
                ..
            } if !data.is_empty() => {
                let key = key_of(i, &sock_key, e).expect("bytes received came on a connection");
                // What B received was sent by the peer: the stream keyed (remote, local).
                streams
                    .entry((key.1, key.0))
                    .or_default()
                    .received
                    .extend_from_slice(data);
            }
            _ => {}
        }
    }
    // In order and once: what the programs received is a prefix of the wire.
    for (key, st) in &streams {
        let wire: Vec<u8> = (0..st.received.len())
            .filter_map(|i| st.wire.get(&i).copied())
            .collect();
        prop_assert_eq!(
            &wire,
            &st.received,
            "stream {:?} received out of order or twice",
            key
        );
        prop_assert!(st.received.len() <= st.app_sent);
    }
    // Live sockets: every byte sent is acknowledged, on the wire, or in a buffer.
    let w = run.world();
    let mut live: BTreeMap<Key, sockscope::sim::view::StreamView> = BTreeMap::new();
    for h in w.hosts() {
        for s in w.sockets(h.id) {
            if let SocketDetail::Stream(v) = s.detail {
                prop_assert!(
                    v.send_buffer.len() <= v.send_capacity
                        && v.recv_buffer.len() <= v.recv_capacity
                );
                live.insert((v.local, v.remote), *v);
            }
        }
    }
    for (key, v) in &live {
        if reset.contains(key)
            || v.state == sockscope::sim::State::SynSent
            || v.state == sockscope::sim::State::SynReceived
        {
            continue;
        }
        // Sender side of stream `key`.
        let st = streams
            .get(key)
            .map(|s| (s.app_sent, s.wire.clone()))
            .unwrap_or_default();
        let acked = st.0 - v.send_buffer.len();
        let una = v.snd_una_rel as usize;
        prop_assert!(
            acked + 1 == una || acked + 2 == una,
            "{:?}: {} acked but SND.UNA is {}",
            key,
            acked,
            una
        );
        for (i, b) in v.send_buffer.iter().take(v.in_flight).enumerate() {
            prop_assert_eq!(
                st.1.get(&(acked + i)),
                Some(b),
                "in-flight byte differs from the wire"
            );
        }
        // Receiver side: the peer's stream.
        let peer = (key.1, key.0);
        let got = streams
            .get(&peer)
            .map(|s| s.received.clone())
            .unwrap_or_default();
        let nxt = v.rcv_nxt_rel as usize;
        let total = got.len() + v.recv_buffer.len();
        prop_assert!(
            total + 1 == nxt || total + 2 == nxt,
            "{:?}: {} read+buffered but RCV.NXT is {}",
            key,
            total,
            nxt
        );
        if let Some(p) = streams.get(&peer) {
            for (i, b) in v.recv_buffer.iter().enumerate() {
                prop_assert_eq!(
                    p.wire.get(&(got.len() + i)),
                    Some(b),
                    "buffered byte differs from the wire"
                );
            }
        }
    }
    // A finished run with no reset: every byte sent was read or sits in a live buffer.
    if run.is_finished() {
        for (key, st) in &streams {
            if reset.contains(key) {
                continue;
            }
            let receiver = (key.1, key.0);
            let buffered = live
                .get(&receiver)
                .map(|v| v.recv_buffer.len())
                .unwrap_or(0);
            let unsent = live.get(key).map(|v| v.send_buffer.len()).unwrap_or(0);
            prop_assert_eq!(
                st.received.len() + buffered + unsent,
                st.app_sent,
                "stream {:?} lost bytes",
                key
            );
        }
    }
    Ok(())
}

/// A thread started by `Thread.start()` is logged as started when start()
/// returns, before it can end (even when its process ends right after), and
/// every thread ends at most once.
fn check_threads(run: &Run) -> Result<(), TestCaseError> {
    let mut started: BTreeSet<(Option<HostId>, Option<u16>)> = BTreeSet::new();
    let mut ended: BTreeSet<(Option<HostId>, Option<u16>)> = BTreeSet::new();
    for e in run.log() {
        let who = (e.host, e.thread.map(|t| t.0));
        match &e.kind {
            EventKind::ThreadStarted { .. } => {
                prop_assert!(started.insert(who), "{:?} started twice", who);
            }
            EventKind::ThreadEnded { name, .. } => {
                prop_assert!(ended.insert(who), "{} ended twice", name);
                prop_assert!(
                    name == "MainThread" || started.contains(&who),
                    "{} ended before it was logged as started",
                    name
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// Every refused action says why in both languages (the Chinese reason is a
/// Chinese sentence, not the English one again), and what the learner told
/// a program to do is said in Chinese too.
fn check_chinese(run: &Run) -> Result<(), TestCaseError> {
    for e in run.log() {
        if let EventKind::ActionIgnored { why, .. } = &e.kind {
            let chinese = why
                .zh
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            prop_assert!(chinese && why.zh != why.en, "no Chinese reason: {:?}", why);
        }
        if let EventKind::Return {
            ret: Ret::Command { .. },
            ..
        } = &e.kind
        {
            let zh = e.narration(sockscope::sim::Lang::Zh);
            for english in ["send ", "visit ", "close", ": recv"] {
                prop_assert!(!zh.contains(english), "English in {}", zh);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 800, .. ProptestConfig::default() })]

    #[test]
    fn bytes_are_delivered_once_in_order_or_accounted_for(
        lesson in lesson(), seed in 0u64..1000,
        script in prop::collection::vec((0u16..60, action()), 0..12),
    ) {
        let run = play(lesson, seed, &script, 3000);
        check_bytes(&run)?;
        check_threads(&run)?;
        check_chinese(&run)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, .. ProptestConfig::default() })]

    #[test]
    fn seeking_and_replaying_give_the_same_world_and_log(
        lesson in lesson(), seed in 0u64..1000,
        script in prop::collection::vec((0u16..40, action()), 0..8),
        back in 0.0f64..1.0,
    ) {
        let mut run = play(lesson, seed, &script, 400);
        run.settle();
        let end = run.current_step();
        let log = serde_json::to_string(run.log()).unwrap();
        let world = run.world().clone();
        let target = (end as f64 * back) as u64;
        run.seek(target);
        prop_assert_eq!(run.current_step(), target);
        run.seek(end);
        prop_assert!(run.world() == &world, "the world after seek differs");
        prop_assert_eq!(serde_json::to_string(run.log()).unwrap(), log.clone());
        let again = Run::replay(Setup::new(lesson, seed), run.actions().to_vec(), end);
        prop_assert_eq!(serde_json::to_string(again.log()).unwrap(), log);
        prop_assert!(again.world() == &world, "the replayed world differs");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, .. ProptestConfig::default() })]

    /// Checks the invariants at every step, not just at the end.
    #[test]
    fn no_buffer_ever_exceeds_its_capacity(
        seed in 0u64..1000,
        script in prop::collection::vec((0u16..30, action()), 1..8),
    ) {
        let mut run = Run::new(LessonId::Sandbox, seed);
        for (steps, a) in &script {
            for _ in 0..*steps {
                if !run.step() { break; }
                for h in run.world().hosts() {
                    for s in run.world().sockets(h.id) {
                        if let SocketDetail::Stream(ref v) = s.detail {
                            prop_assert!(v.send_buffer.len() <= v.send_capacity);
                            prop_assert!(v.recv_buffer.len() <= v.recv_capacity);
                            prop_assert!(v.in_flight <= v.send_buffer.len());
                            prop_assert!(v.cwnd >= 1, "cwnd below one segment");
                        }
                        if let SocketDetail::Listening { backlog, syn_queue, accept_queue, .. } = s.detail {
                            prop_assert!(syn_queue.len() + accept_queue.len() <= backlog as usize);
                        }
                    }
                }
            }
            run.apply(a.clone());
        }
        check_bytes(&run)?;
    }
}
