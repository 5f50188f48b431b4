//! The simulated wire checked by a tool nobody here wrote: each lesson's pcap
//! must dissect in tshark without malformed packets or sequence-analysis
//! complaints, and the `buffers` lesson must show a TCP ZeroWindow.
//!
//! When tshark is not on PATH the tests say so loudly and pass; CI installs it.

use sockscope::sim::event::EventKind;
use sockscope::sim::lessons::buffers_at_linux_sizes;
use sockscope::sim::lessons::Group;
use sockscope::sim::net::pcap::write_pcap;
use sockscope::sim::{Action, Lang, LessonId, Run, World};
use std::path::PathBuf;
use std::process::Command;

fn tshark_available() -> bool {
    Command::new("tshark")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn lesson_run(lesson: LessonId) -> Run {
    let mut run = Run::new(lesson, lesson.info().default_seed);
    if lesson == LessonId::Sandbox {
        // The sandbox has no clients of its own: add two and talk.
        run.apply(Action::AddClient);
        run.apply(Action::AddClient);
        run.play(40);
        run.apply(Action::SetBuffers {
            target: 2,
            send_capacity: 8,
            recv_capacity: 8,
        });
        run.apply(Action::Send {
            client: 1,
            text: "你好".into(),
        });
        run.apply(Action::Send {
            client: 2,
            text: "a longer message than eight bytes".into(),
        });
        run.play(200);
        run.apply(Action::RecvNow { client: 1 });
        run.apply(Action::RecvNow { client: 2 });
        run.play(200);
        run.apply(Action::Close { client: 1 });
        run.apply(Action::Close { client: 2 });
    }
    run.play(100_000);
    assert!(run.is_finished());
    run
}

fn write(lesson: LessonId, test: &str) -> PathBuf {
    let run = lesson_run(lesson);
    let path = std::env::temp_dir().join(format!(
        "sockscope-{test}-{}-{}.pcap",
        lesson.slug(),
        std::process::id()
    ));
    std::fs::write(&path, write_pcap(run.log())).unwrap();
    path
}

fn tshark(args: &[&str]) -> String {
    let out = Command::new("tshark")
        .args(args)
        .output()
        .expect("tshark runs");
    assert!(
        out.status.success(),
        "tshark {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Expert messages of every packet, one line each (`-T fields`).
fn expert_messages(path: &str) -> Vec<String> {
    tshark(&[
        "-r",
        path,
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "_ws.expert.message",
    ])
    .lines()
    .filter(|l| l.contains('\t') && !l.ends_with('\t'))
    .map(str::to_string)
    .collect()
}

#[test]
fn every_lesson_pcap_dissects_cleanly_in_tshark() {
    if !tshark_available() {
        eprintln!(
            "\n!!! SKIPPED: tshark is not on PATH; the pcap fidelity checks did not run !!!\n"
        );
        return;
    }
    // The loss lesson's capture shows its losses instead, and the mistakes
    // lessons their own expert notes: see below.
    for lesson in LessonId::ALL
        .into_iter()
        .filter(|l| *l != LessonId::Loss && l.info().group != Group::Mistakes)
    {
        let path = write(lesson, "clean");
        let p = path.to_str().unwrap();
        let summary = tshark(&["-r", p, "-q", "-z", "expert"]);
        let messages = expert_messages(p);
        let frames = tshark(&["-r", p, "-T", "fields", "-e", "frame.number"])
            .lines()
            .count();
        assert!(frames > 10, "{lesson:?}: only {frames} frames");
        for bad in [
            "Malformed",
            "previous segment not captured",
            "ACKed segment that wasn't captured",
            "ACKed unseen segment",
            "checksum",
            "Out-Of-Order",
            "Dup ACK",
        ] {
            assert!(
                !summary.to_lowercase().contains(&bad.to_lowercase()),
                "{lesson:?}: tshark reports {bad:?}\n{summary}\n{messages:#?}"
            );
        }
        // Every packet is IPv4 + TCP between our hosts; the http lesson's
        // payload (port 80) is dissected as HTTP.
        let protos = tshark(&["-r", p, "-T", "fields", "-e", "frame.protocols"]);
        assert!(
            protos.lines().all(|l| l == "raw:ip:tcp"
                || if lesson == LessonId::Http {
                    l.starts_with("raw:ip:tcp:http")
                } else {
                    l == "raw:ip:tcp:data"
                }),
            "{lesson:?}: {protos}"
        );
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn the_buffers_lesson_shows_a_zero_window_in_tshark() {
    if !tshark_available() {
        eprintln!("\n!!! SKIPPED: tshark is not on PATH; the ZeroWindow check did not run !!!\n");
        return;
    }
    let path = write(LessonId::Buffers, "zero-window");
    let p = path.to_str().unwrap();
    let summary = tshark(&["-r", p, "-q", "-z", "expert"]);
    assert!(
        summary.contains("TCP Zero Window") || summary.contains("ZeroWindow"),
        "{summary}"
    );
    let flagged = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.analysis.zero_window",
        "-T",
        "fields",
        "-e",
        "tcp.window_size_value",
    ]);
    assert!(
        !flagged.trim().is_empty() && flagged.lines().all(|w| w == "0"),
        "{flagged}"
    );
    // Linux's zero-window probe carries no data and reuses SND.UNA − 1:
    // Wireshark labels it a keep-alive. The receiver answers one at once
    // with an ACK showing the (still zero) window, which Wireshark flags
    // as a zero window again; but it answers segments outside its window
    // at most once per 500 ms, so a probe sooner than that after the last
    // one answered gets no ACK.
    let probes = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.analysis.keep_alive && tcp.len == 0",
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "frame.time_relative",
    ]);
    assert!(
        !probes.trim().is_empty(),
        "the persist timer's probes are visible: {summary}"
    );
    let zero_frames = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.analysis.zero_window && tcp.len == 0",
        "-T",
        "fields",
        "-e",
        "frame.number",
    ]);
    let zero_frames: Vec<u32> = zero_frames
        .lines()
        .map(|n| n.trim().parse().unwrap())
        .collect();
    let mut last_answered: Option<f64> = None;
    let mut unanswered = 0;
    for line in probes.lines() {
        let mut fields = line.split_whitespace();
        let frame: u32 = fields.next().unwrap().parse().unwrap();
        let at: f64 = fields.next().unwrap().parse().unwrap();
        let expected = last_answered.is_none_or(|t| at - t >= 0.5);
        assert_eq!(
            zero_frames.contains(&(frame + 1)),
            expected,
            "probe in frame {frame} at {at} s (last answered at {last_answered:?}): {summary}"
        );
        if expected {
            last_answered = Some(at);
        } else {
            unanswered += 1;
        }
    }
    assert!(unanswered > 0, "a probe within 500 ms goes unanswered");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn sequence_numbers_count_bytes() {
    if !tshark_available() {
        eprintln!("\n!!! SKIPPED: tshark is not on PATH !!!\n");
        return;
    }
    let path = write(LessonId::Echo, "seq");
    let p = path.to_str().unwrap();
    // The client's FIN comes after its 4 + 12 bytes: relative seq 17 (1 for the SYN).
    let fins = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.flags.fin == 1 && tcp.srcport != 9090",
        "-T",
        "fields",
        "-e",
        "tcp.seq",
    ]);
    assert_eq!(fins.trim(), "17");
    let _ = std::fs::remove_file(&path);
}

/// Each SYN carries Linux's options, which tshark reads as Linux's:
/// MSS 1460, SACK permitted, timestamps and a window scale; after the
/// handshake every segment carries timestamps, and each TSecr echoes a TSval
/// the other side sent (tshark computes the round trip from the pair).
#[test]
fn syns_carry_linux_s_options_and_timestamps_echo() {
    if !tshark_available() {
        eprintln!("\n!!! SKIPPED: tshark is not on PATH !!!\n");
        return;
    }
    let path = write(LessonId::Echo, "opts");
    let p = path.to_str().unwrap();
    let syns = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.flags.syn == 1",
        "-T",
        "fields",
        "-e",
        "tcp.options.mss_val",
        "-e",
        "tcp.options.sack_perm",
        "-e",
        "tcp.options.wscale.shift",
        "-e",
        "tcp.options.timestamp.tsecr",
        "-e",
        "tcp.hdr_len",
    ]);
    let rows: Vec<&str> = syns.lines().collect();
    assert_eq!(rows.len(), 2, "SYN and SYN-ACK: {syns}");
    for row in &rows {
        let f: Vec<&str> = row.split('\t').collect();
        assert_eq!(f[0], "1460", "{row}");
        assert!(!f[1].is_empty(), "SACK permitted: {row}");
        assert_eq!(f[2], "0", "{row}");
        assert_eq!(f[4], "40", "a Linux SYN's header is 40 bytes: {row}");
    }
    let rest = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.flags.syn == 0",
        "-T",
        "fields",
        "-e",
        "tcp.hdr_len",
        "-e",
        "tcp.options.timestamp.tsval",
        "-e",
        "tcp.options.timestamp.tsecr",
    ]);
    let mut vals = std::collections::HashSet::new();
    let mut ecrs = vec![];
    for row in rest.lines() {
        let f: Vec<&str> = row.split('\t').collect();
        assert_eq!(f[0], "32", "20 bytes + 12 of timestamps: {row}");
        vals.insert(f[1].to_string());
        ecrs.push(f[2].to_string());
    }
    let syn_vals = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.flags.syn == 1",
        "-T",
        "fields",
        "-e",
        "tcp.options.timestamp.tsval",
    ]);
    vals.extend(syn_vals.lines().map(str::to_string));
    assert!(
        ecrs.iter().all(|e| vals.contains(e)),
        "every TSecr echoes a TSval that was sent: {rest}"
    );
    let _ = std::fs::remove_file(&path);
}

/// The loss lesson's capture shows what Wireshark would: three duplicate
/// ACKs (with SACK blocks) and a fast retransmission, then a retransmission
/// by the timer; nothing malformed and no segment missing from the capture
/// (the lost ones were captured where they were sent).
#[test]
fn the_loss_lesson_shows_dup_acks_and_retransmissions_in_tshark() {
    if !tshark_available() {
        eprintln!("\n!!! SKIPPED: tshark is not on PATH !!!\n");
        return;
    }
    let path = write(LessonId::Loss, "loss");
    let p = path.to_str().unwrap();
    let summary = tshark(&["-r", p, "-q", "-z", "expert"]);
    for want in [
        "Duplicate ACK (#3)",
        "(suspected) fast retransmission",
        "(suspected) retransmission",
    ] {
        assert!(summary.contains(want), "{want}: {summary}");
    }
    for bad in [
        "Malformed",
        "previous segment not captured",
        "checksum",
        "Warns",
    ] {
        assert!(!summary.contains(bad), "{bad}: {summary}");
    }
    let sacks = tshark(&[
        "-r",
        p,
        "-Y",
        "tcp.options.sack_le",
        "-T",
        "fields",
        "-e",
        "frame.number",
    ]);
    assert!(
        !sacks.trim().is_empty(),
        "the duplicate ACKs carry SACK blocks"
    );
    let _ = std::fs::remove_file(&path);
}

/// The http lesson's capture reads as HTTP in tshark (port 80 is dissected
/// as HTTP by default, as in a learner's Wireshark): the GET requests, and the
/// 200 and 404 responses; a learner's extra visit shows up too.
#[test]
fn the_http_lesson_dissects_as_http_in_tshark() {
    if !tshark_available() {
        eprintln!(
            "\n!!! SKIPPED: tshark is not on PATH; the HTTP dissection check did not run !!!\n"
        );
        return;
    }
    let mut run = Run::new(LessonId::Http, LessonId::Http.info().default_seed);
    run.play(100_000);
    run.apply(Action::Navigate {
        url: "http://www.example.test/about.html?lang=zh".into(),
    });
    run.play(100_000);
    assert!(run.is_finished());
    let path = std::env::temp_dir().join(format!("sockscope-http-{}.pcap", std::process::id()));
    std::fs::write(&path, write_pcap(run.log())).unwrap();
    let p = path.to_str().unwrap();
    let requests = tshark(&[
        "-r",
        p,
        "-Y",
        "http.request",
        "-T",
        "fields",
        "-e",
        "http.request.method",
        "-e",
        "http.request.uri",
    ]);
    assert_eq!(
        requests.lines().collect::<Vec<_>>(),
        vec![
            "GET\t/",
            "GET\t/style.css",
            "GET\t/missing.html",
            "GET\t/about.html?lang=zh"
        ],
        "{requests}"
    );
    let responses = tshark(&[
        "-r",
        p,
        "-Y",
        "http.response",
        "-T",
        "fields",
        "-e",
        "http.response.code",
        "-e",
        "http.content_type",
    ]);
    let codes: Vec<&str> = responses
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(codes, vec!["200", "200", "404", "200"], "{responses}");
    assert!(responses.contains("text/css"), "{responses}");
    // The host header and the keep-alive the lesson is about.
    let hosts = tshark(&[
        "-r",
        p,
        "-Y",
        "http.request",
        "-T",
        "fields",
        "-e",
        "http.host",
        "-e",
        "http.connection",
    ]);
    assert!(
        hosts.lines().all(|l| l.starts_with("www.example.test\t")),
        "{hosts}"
    );
    assert_eq!(
        hosts.lines().filter(|l| l.ends_with("keep-alive")).count(),
        3,
        "{hosts}"
    );
    let summary = tshark(&["-r", p, "-q", "-z", "expert"]);
    assert!(!summary.contains("Malformed"), "{summary}");
    let _ = std::fs::remove_file(&path);
}

/// A mistakes lesson's capture: no malformed packet, no bad checksum, no
/// segment tshark did not see; the expert summary is returned for the
/// notes the lesson must show.
fn mistakes_capture(lesson: LessonId) -> Option<(String, PathBuf)> {
    if !tshark_available() {
        eprintln!(
            "\n!!! SKIPPED: tshark is not on PATH; {lesson:?}'s capture was not checked !!!\n"
        );
        return None;
    }
    let path = write(lesson, "mistakes");
    let p = path.to_str().unwrap();
    let summary = tshark(&["-r", p, "-q", "-z", "expert"]);
    for bad in [
        "Malformed",
        "previous segment not captured",
        "ACKed segment that wasn't captured",
        "ACKed unseen segment",
        "checksum",
    ] {
        assert!(
            !summary.to_lowercase().contains(&bad.to_lowercase()),
            "{lesson:?}: tshark reports {bad:?}\n{summary}"
        );
    }
    // Every frame is TCP, its payload plain data: no dissector claims the
    // lessons' port 9090. (On 8080, Wireshark's "http-alt", a payload that
    // looked like a header line was taken for an HTTP continuation.)
    let protos = tshark(&["-r", p, "-T", "fields", "-e", "frame.protocols"]);
    assert!(
        protos
            .lines()
            .all(|l| l == "raw:ip:tcp" || l == "raw:ip:tcp:data"),
        "{lesson:?}: {protos}"
    );
    Some((summary, path))
}

/// Frames matching a display filter, as "number flags" lines.
fn frames(path: &std::path::Path, filter: &str) -> Vec<String> {
    tshark(&[
        "-r",
        path.to_str().unwrap(),
        "-Y",
        filter,
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "tcp.flags.str",
    ])
    .lines()
    .map(str::to_string)
    .collect()
}

/// The reset lesson: two RSTs from the server (unread bytes discarded, then
/// bytes to a closed socket), each flagged by tshark's expert as a reset.
#[test]
fn the_reset_lesson_shows_two_resets_in_tshark() {
    let Some((summary, path)) = mistakes_capture(LessonId::Reset) else {
        return;
    };
    assert!(summary.contains("Connection reset (RST)"), "{summary}");
    let rsts = frames(&path, "tcp.flags.reset == 1 && tcp.srcport == 9090");
    assert_eq!(rsts.len(), 2, "{rsts:?}");
    assert!(frames(&path, "tcp.flags.reset == 1 && tcp.dstport == 9090").is_empty());
    let _ = std::fs::remove_file(&path);
}

/// The half-close lesson: the client's FIN crosses the wire before the
/// server's first byte of data, and the server's data still reaches the
/// client (its ACK comes back from the half-closed side).
#[test]
fn the_half_close_lesson_shows_the_fin_before_the_answer_in_tshark() {
    let Some((_summary, path)) = mistakes_capture(LessonId::HalfClose) else {
        return;
    };
    let first = |filter: &str| -> u32 {
        frames(&path, filter)
            .first()
            .and_then(|l| l.split('\t').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no frame matches {filter}"))
    };
    let client_fin = first("tcp.flags.fin == 1 && tcp.dstport == 9090");
    let server_data = first("tcp.len > 0 && tcp.srcport == 9090");
    let server_fin = first("tcp.flags.fin == 1 && tcp.srcport == 9090");
    assert!(client_fin < server_data, "{client_fin} < {server_data}");
    assert!(server_data <= server_fin);
    // The client acknowledges the answer after its own FIN.
    let acked = first(&format!(
        "tcp.dstport == 9090 && tcp.ack > 1 && frame.number > {server_data}"
    ));
    assert!(acked > client_fin);
    let _ = std::fs::remove_file(&path);
}

/// The busy-loop and daemon lessons: captures that dissect cleanly (their
/// story is in the threads, not on the wire), with no reset: the kernel
/// closes the spinning or killed threads' sockets with FIN.
#[test]
fn the_busy_loop_and_daemon_lessons_capture_cleanly_in_tshark() {
    for lesson in [LessonId::BusyLoop, LessonId::Daemon] {
        let Some((summary, path)) = mistakes_capture(lesson) else {
            return;
        };
        assert!(
            !summary.contains("Connection reset"),
            "{lesson:?}: {summary}"
        );
        assert!(frames(&path, "tcp.flags.reset == 1").is_empty());
        assert!(!frames(&path, "tcp.flags.fin == 1 && tcp.srcport == 9090").is_empty());
        let _ = std::fs::remove_file(&path);
    }
}

/// The backlog lesson: tshark flags the SYNs the three late clients send
/// again as retransmissions (each is the same SYN, same sequence number),
/// three per client (at 1, 2 and 3 s; the third gets in), and nothing
/// else is retransmitted: the first two clients' connections just waited.
#[test]
fn the_backlog_lesson_shows_syn_retransmissions_in_tshark() {
    let Some((summary, path)) = mistakes_capture(LessonId::Backlog) else {
        return;
    };
    assert!(summary.contains("retransmission"), "{summary}");
    let retransmitted = frames(&path, "tcp.analysis.retransmission");
    let syns = frames(
        &path,
        "tcp.analysis.retransmission && tcp.flags.syn == 1 && tcp.flags.ack == 0",
    );
    assert_eq!(syns.len(), 9, "{syns:?}");
    assert_eq!(retransmitted, syns, "only SYNs are sent again");
    let _ = std::fs::remove_file(&path);
}

/// The reuse-addr lesson: two connections to port 9090, from the first
/// and the third run of the server, each closed by the server first (its
/// FIN before the client's); the failed second run sends nothing.
#[test]
fn the_reuse_addr_lesson_shows_two_connections_closed_by_the_server_first() {
    let Some((_summary, path)) = mistakes_capture(LessonId::ReuseAddr) else {
        return;
    };
    let syns = frames(&path, "tcp.flags.syn == 1 && tcp.flags.ack == 0");
    assert_eq!(syns.len(), 2, "{syns:?}");
    let fins = tshark(&[
        "-r",
        path.to_str().unwrap(),
        "-Y",
        "tcp.flags.fin == 1",
        "-T",
        "fields",
        "-e",
        "tcp.stream",
        "-e",
        "tcp.srcport",
    ]);
    let fins: Vec<&str> = fins.lines().collect();
    assert_eq!(fins.len(), 4, "{fins:?}");
    for stream in ["0", "1"] {
        let first = fins.iter().find(|l| l.starts_with(stream)).unwrap();
        assert!(
            first.ends_with("\t9090"),
            "the server closes first: {fins:?}"
        );
    }
    assert!(frames(&path, "tcp.flags.reset == 1").is_empty());
    let _ = std::fs::remove_file(&path);
}

/// The buffers lesson's programs at Linux's sizes: window scale 7 on both
/// SYNs, so every later window field is the window in units of 128 bytes,
/// and tshark, scaling it back, sees the windows the simulation offered,
/// the window filling and the zero windows, and nothing malformed.
#[test]
fn windows_at_linux_sizes_are_scaled_in_the_capture() {
    if !tshark_available() {
        eprintln!("\n!!! SKIPPED: tshark is not on PATH; the window-scale check did not run !!!\n");
        return;
    }
    let mut world = World::new(buffers_at_linux_sizes(Lang::En));
    let mut log = world.poll_events();
    while world.step() {
        log.extend(world.poll_events());
    }
    log.extend(world.poll_events());
    let path = std::env::temp_dir().join(format!("sockscope-scaled-{}.pcap", std::process::id()));
    std::fs::write(&path, write_pcap(&log)).unwrap();
    let p = path.to_str().unwrap();
    let summary = tshark(&["-r", p, "-q", "-z", "expert"]);
    for bad in ["Malformed", "previous segment not captured", "checksum"] {
        assert!(
            !summary.to_lowercase().contains(&bad.to_lowercase()),
            "tshark reports {bad:?}\n{summary}"
        );
    }
    assert!(summary.contains("Zero Window"), "{summary}");
    // The windows tshark computes (field × 128) are those the simulation sent.
    let sent: Vec<u32> = log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent { segment, .. } if !segment.flags.syn => {
                Some(u32::from(segment.window))
            }
            _ => None,
        })
        .collect();
    let seen: Vec<u32> = tshark(&[
        "-r",
        p,
        "-Y",
        "!(tcp.flags.syn == 1)",
        "-T",
        "fields",
        "-e",
        "tcp.window_size",
    ])
    .lines()
    .map(|w| w.trim().parse().unwrap())
    .collect();
    assert_eq!(seen, sent);
    assert!(sent.iter().all(|w| w % 128 == 0), "{sent:?}");
    let _ = std::fs::remove_file(&path);
}
