//! Loss and recovery through whole worlds: the loss lesson, a segment the
//! learner drops, and random loss rates that must never corrupt a stream.

use proptest::prelude::*;
use sockscope::sim::event::{CongestionCause, DropReason, EventKind, SendReason};
use sockscope::sim::{Action, HostId, LessonId, Run, Setup};

fn sent_reasons(run: &Run, host: HostId) -> Vec<SendReason> {
    run.log()
        .iter()
        .filter(|e| e.host == Some(host))
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

#[test]
fn the_loss_lesson_recovers_one_loss_by_fast_retransmit_and_one_by_the_timer() {
    for lang in [sockscope::sim::Lang::En, sockscope::sim::Lang::Zh] {
        loss_lesson_in(lang);
    }
}

fn loss_lesson_in(lang: sockscope::sim::Lang) {
    let seed = LessonId::Loss.info().default_seed;
    let mut run = Run::start(Setup::new(LessonId::Loss, seed).in_lang(lang));
    run.play(100_000);
    assert!(run.is_finished());
    let client = HostId(1);
    let reasons = sent_reasons(&run, client);
    let count = |r| reasons.iter().filter(|x| **x == r).count();
    assert_eq!(count(SendReason::FastRetransmit), 1, "{reasons:?}");
    assert_eq!(count(SendReason::Retransmit), 1, "{reasons:?}");
    // Two segments lost on the way, both from the client.
    let lost: Vec<_> = run
        .log()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentDropped {
                segment,
                reason: DropReason::Lost,
            } => Some(segment.src),
            _ => None,
        })
        .collect();
    assert_eq!(lost.len(), 2);
    // Duplicate ACKs 1, 2, 3 come before the fast retransmit.
    let mut dups = vec![];
    for e in run.log() {
        match &e.kind {
            EventKind::DuplicateAck { count, .. } => dups.push(*count),
            EventKind::SegmentSent {
                reason: SendReason::FastRetransmit,
                ..
            } => break,
            _ => {}
        }
    }
    assert_eq!(dups, vec![1, 2, 3]);
    // The receiver held bytes out of order.
    assert!(run
        .log()
        .iter()
        .any(|e| matches!(e.kind, EventKind::OutOfOrder { .. })));
    // cwnd: cut on the fast retransmit, inflated by the duplicate ACKs that
    // follow, set to ssthresh when recovery ends, 1 after the timeout.
    let mut causes: Vec<CongestionCause> = run
        .log()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Congestion { cause, .. } if *cause != CongestionCause::Acked => Some(*cause),
            _ => None,
        })
        .collect();
    causes.dedup();
    assert_eq!(causes.get(1), Some(&CongestionCause::DupAck), "{causes:?}");
    causes.retain(|c| *c != CongestionCause::DupAck);
    assert_eq!(
        causes,
        vec![
            CongestionCause::FastRetransmit,
            CongestionCause::RecoveryDone,
            CongestionCause::Timeout
        ]
    );
    let after_timeout = run.log().iter().find_map(|e| match &e.kind {
        EventKind::Congestion {
            cause: CongestionCause::Timeout,
            cwnd,
            ..
        } => Some(*cwnd),
        _ => None,
    });
    assert_eq!(after_timeout, Some(1));
    // And every byte arrived, in order: the server counted what the client sent.
    let sent: i64 = run
        .log()
        .iter()
        .filter(|e| e.host == Some(client))
        .filter_map(|e| match &e.kind {
            EventKind::Buffer {
                cause: sockscope::sim::event::BufferCause::AppSend,
                delta,
                ..
            } => Some(*delta),
            _ => None,
        })
        .sum();
    let report = run.console(client).join("\n");
    assert!(
        report.starts_with(&sent.to_string()),
        "the client's report: {report} (it sent {sent})"
    );
}

/// Plays the echo lesson until a data segment from client-1 is on the wire.
fn until_client_data_on_wire(run: &mut Run) -> u64 {
    loop {
        assert!(run.step(), "the lesson ended first");
        if let Some(f) = run
            .world()
            .in_flight()
            .iter()
            .find(|f| f.from == HostId(1) && !f.segment.payload.is_empty())
        {
            return f.id;
        }
    }
}

#[test]
fn a_segment_the_learner_drops_is_resent_and_the_programs_never_know() {
    let seed = LessonId::Echo.info().default_seed;
    let mut clean = Run::new(LessonId::Echo, seed);
    clean.play(100_000);
    let mut run = Run::new(LessonId::Echo, seed);
    let id = until_client_data_on_wire(&mut run);
    run.apply(Action::DropSegment { segment: id });
    assert!(
        run.world().in_flight().iter().all(|f| f.id != id),
        "gone from the wire"
    );
    let dropping_step = run.current_step();
    run.play(100_000);
    assert!(run.log().iter().any(|e| matches!(
        e.kind,
        EventKind::SegmentDropped {
            reason: DropReason::DroppedByLearner,
            ..
        }
    )));
    assert!(sent_reasons(&run, HostId(1)).contains(&SendReason::Retransmit));
    for h in [HostId::SERVER, HostId(1)] {
        assert_eq!(run.console(h), clean.console(h), "{h:?}'s terminal");
    }
    // Dropping it again is refused: it is no longer on the wire.
    let mut again = Run::new(LessonId::Echo, seed);
    again.seek(dropping_step);
    let ignored_before = again
        .log()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ActionIgnored { .. }))
        .count();
    again.apply(Action::DropSegment { segment: 9_999 });
    let ignored_after = again
        .log()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ActionIgnored { .. }))
        .count();
    assert_eq!(ignored_after, ignored_before + 1);
}

#[test]
fn the_same_seed_and_loss_rate_give_the_same_run() {
    let setup = || Setup {
        loss: Some(25),
        ..Setup::new(LessonId::MultiClient, 4)
    };
    let mut a = Run::start(setup());
    let mut b = Run::start(setup());
    a.play(100_000);
    b.play(100_000);
    assert_eq!(a.log(), b.log());
    assert!(a.log().iter().any(|e| matches!(
        e.kind,
        EventKind::SegmentDropped {
            reason: DropReason::Lost,
            ..
        }
    )));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the network loses (up to 60 %), the run ends, and each
    /// program prints exactly what it prints on a perfect network, or the
    /// connection fails with the documented error: some program's output
    /// ends with `TimeoutError: [Errno 110]` (the retries ran out; a peer
    /// that gave up resets the other, which then sees a reset or a broken
    /// pipe), and every program printed, before that, only lines of the
    /// clean run, in order (a server whose client never got through has
    /// printed nothing; a client that had exited before its FIN got through
    /// leaves the server waiting in recv(), as on Linux).
    #[test]
    fn any_loss_rate_leaves_the_programs_output_unchanged_or_fails_as_documented(seed in 0u64..10_000, percent in 0u8..=60, delay in 1u32..=20) {
        const DOCUMENTED: [&str; 3] = [
            "TimeoutError: [Errno 110] Connection timed out",
            "ConnectionResetError: [Errno 104] Connection reset by peer",
            "BrokenPipeError: [Errno 32] Broken pipe",
        ];
        let mut clean = Run::new(LessonId::Echo, seed);
        clean.play(100_000);
        let mut lossy = Run::start(Setup {
            loss: Some(percent),
            delay_ms: Some(delay),
            ..Setup::new(LessonId::Echo, seed)
        });
        lossy.play(2_000_000);
        prop_assert!(lossy.is_finished(), "{}% loss: the run did not end", percent);
        let mut differs = false;
        let mut failed = false;
        for h in [HostId::SERVER, HostId(1)] {
            let (a, b) = (lossy.console(h), clean.console(h));
            if a == b {
                continue;
            }
            differs = true;
            let last = a.last().cloned().unwrap_or_default();
            let error = DOCUMENTED.contains(&last);
            failed |= error;
            // Before the error (if any), only the clean run's lines, in
            // order. The traceback of a thread that died of it starts with
            // CPython's "Exception in thread NAME:" line.
            let printed: Vec<_> = a
                .iter()
                .filter(|l| {
                    !(l.starts_with(' ')
                        || l.starts_with("Traceback")
                        || (error && (**l == last || l.starts_with("Exception in thread "))))
                })
                .collect();
            let mut clean_lines = b.iter();
            for l in printed {
                prop_assert!(clean_lines.any(|c| c == l), "{:?} with {}% loss: {:?} is not in the clean run's output {:?}", h, percent, l, b);
            }
        }
        // A connection given up after its program had exited (a FIN never
        // acknowledged) fails silently: its peer simply waits, as on Linux.
        failed |= lossy.log().iter().any(|e| matches!(e.kind, EventKind::GaveUp { .. }));
        prop_assert!(!differs || failed, "with {}% loss the output differs but no connection failed", percent);
    }
}
