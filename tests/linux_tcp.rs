//! The simulation against real Linux, segment for segment.
//!
//! `tests/linux/wire.py` runs a lesson's server and client programs under
//! real `python3` in two network namespaces joined by a userspace wire (TUN
//! devices; each packet waits the lesson's one-way latency; both stacks on
//! `reno`) and prints every TCP segment that crossed it. The same programs
//! run in the simulation. For each direction, the two sequences of segments
//! must agree: flags, payload length, and whether the window was zero.
//! A difference that stays on purpose (a teaching-sized value the kernel
//! would refuse) is listed by name in the case, never hidden by a looser
//! comparison.
//!
//! It needs root, `ip netns` and `/dev/net/tun`; without them it says so
//! and checks nothing. Traffic stays inside the namespaces it makes.

use std::process::Command;

use sockscope::sim::event::EventKind;
use sockscope::sim::lessons::buffers_at_linux_sizes;
use sockscope::sim::lessons::code::{ClientKind, EchoClient, EchoServer, Script};
use sockscope::sim::world::{World, WorldConfig};
use sockscope::sim::Duration;
use sockscope::sim::{HostId, Lang, LessonId, Setup};

/// One segment as the comparison sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seg {
    from: &'static str,
    flags: String,
    len: usize,
    zero_window: bool,
}

impl std::fmt::Display for Seg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let zw = if self.zero_window { " win=0" } else { "" };
        write!(
            f,
            "{:6} {:<13} len {:4}{zw}",
            self.from, self.flags, self.len
        )
    }
}

fn flag_names(syn: bool, ack: bool, psh: bool, fin: bool, rst: bool) -> String {
    let mut v = vec![];
    for (on, n) in [
        (syn, "SYN"),
        (ack, "ACK"),
        (psh, "PSH"),
        (fin, "FIN"),
        (rst, "RST"),
    ] {
        if on {
            v.push(n);
        }
    }
    v.join(",")
}

/// Root, `ip netns` and `/dev/net/tun`, or why not.
fn can_run() -> Result<(), String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| e.to_string())?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Err("not root".into());
    }
    if !std::path::Path::new("/dev/net/tun").exists() {
        return Err("no /dev/net/tun".into());
    }
    let ip = Command::new("ip").args(["netns", "list"]).output();
    if !ip.is_ok_and(|o| o.status.success()) {
        return Err("no `ip netns`".into());
    }
    Ok(())
}

/// What real Linux put on the wire for these programs, and the programs' output.
fn real_run(
    server: &Script,
    client: &Script,
    args: &[String],
    sysctls: &[&str],
    quiet_ms: u32,
) -> (Vec<Seg>, String) {
    let dir = std::env::temp_dir().join(format!("sockscope-linux-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (s, c) = (dir.join("server.py"), dir.join("client.py"));
    std::fs::write(&s, &server.source).unwrap();
    std::fs::write(&c, &client.source).unwrap();
    let wire = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/linux/wire.py");
    let mut cmd = Command::new("python3");
    cmd.arg(wire)
        .arg("--server")
        .arg(&s)
        .arg("--client")
        .arg(&c);
    cmd.args(["--delay-ms", "2", "--quiet-ms", &quiet_ms.to_string()]);
    for a in args {
        cmd.arg("--arg").arg(a);
    }
    for s in sysctls {
        cmd.arg("--sysctl").arg(s);
    }
    let out = cmd.output().expect("python3 runs the wire");
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "wire.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let head = lines.next().unwrap_or_default().to_string();
    let segs = lines
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let flags: Vec<&str> = v["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            let has = |n| flags.contains(&n);
            Seg {
                from: if v["from"] == "client" {
                    "client"
                } else {
                    "server"
                },
                flags: flag_names(has("SYN"), has("ACK"), has("PSH"), has("FIN"), has("RST")),
                len: v["len"].as_u64().unwrap() as usize,
                zero_window: v["window"].as_u64() == Some(0) && !has("RST"),
            }
        })
        .collect();
    (segs, head)
}

/// What the simulation put on the wire for the same world.
fn simulated(config: WorldConfig) -> Vec<Seg> {
    let mut world = World::new(config);
    let mut log = world.poll_events();
    for _ in 0..100_000 {
        let more = world.step();
        log.extend(world.poll_events());
        if !more {
            break;
        }
    }
    log.iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentSent { segment: s, .. } => Some(Seg {
                from: if e.host == Some(HostId::SERVER) {
                    "server"
                } else {
                    "client"
                },
                flags: flag_names(
                    s.flags.syn,
                    s.flags.ack,
                    s.flags.psh,
                    s.flags.fin,
                    s.flags.rst,
                ),
                len: s.payload.len(),
                zero_window: s.window == 0 && !s.flags.rst,
            }),
            _ => None,
        })
        .collect()
}

fn table(segs: &[Seg]) -> String {
    segs.iter().map(|s| format!("  {s}\n")).collect()
}

/// Runs a setup on both and compares each direction's segments.
fn compare(name: &str, setup: Setup, quiet_ms: u32) {
    compare_world(name, setup.config(), &[], quiet_ms);
}

/// Runs a world's server and first client on both (Linux with these
/// sysctls in both namespaces) and compares each direction's segments.
fn compare_world(name: &str, config: WorldConfig, sysctls: &[&str], quiet_ms: u32) {
    let client = &config.clients[0];
    let (real, outputs) = real_run(
        &config.server.script,
        &client.script,
        &client.args,
        sysctls,
        quiet_ms,
    );
    let sim = simulated(config);
    assert!(
        real.len() >= 10,
        "{name}: too few segments on the wire:\n{}",
        table(&real)
    );
    eprintln!(
        "{name}: {} segments, the same on both\n{}",
        real.len(),
        table(&real)
    );
    for from in ["client", "server"] {
        let r: Vec<Seg> = real.iter().filter(|s| s.from == from).cloned().collect();
        let s: Vec<Seg> = sim.iter().filter(|s| s.from == from).cloned().collect();
        assert_eq!(
            r,
            s,
            "{name}: the {from}'s segments differ\nreal Linux:\n{}simulation:\n{}programs' output: {}",
            table(&real),
            table(&sim),
            outputs.chars().take(1500).collect::<String>()
        );
    }
}

#[test]
fn the_simulation_puts_on_the_wire_what_linux_does() {
    if let Err(why) = can_run() {
        eprintln!("linux_tcp: skipped ({why}): it needs root, `ip netns` and /dev/net/tun");
        return;
    }
    // The echo lesson: two messages, two replies, close.
    compare(
        "echo",
        Setup::new(LessonId::Echo, LessonId::Echo.info().default_seed),
        700,
    );
    // A client that sends several small messages, then shutdown(SHUT_WR),
    // then reads the replies until the server closes. The server reads
    // after a pause, so every byte has arrived by its first recv() on real
    // Linux too (otherwise how the bytes are split among its recv() calls,
    // and so its replies, would depend on how fast its thread starts).
    let slow_server = EchoServer {
        sleep: Some(Duration::from_millis(200)),
        ..EchoServer::default()
    }
    .script(Lang::En);
    let mut burst = Setup::new(LessonId::Echo, 7);
    burst.server = Some(slow_server.clone());
    burst.client = Some(EchoClient::new(ClientKind::Burst).script(Lang::En));
    compare("several small messages, then SHUT_WR", burst, 700);
    // The same client with Nagle's algorithm off (TCP_NODELAY): every small
    // message leaves at once.
    let mut nodelay = Setup::new(LessonId::Echo, 7);
    let mut script = EchoClient::new(ClientKind::Burst).script(Lang::En);
    script.source = script.source.replace(
        "    client.connect(",
        "    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n    client.connect(",
    );
    assert!(script.source.contains("TCP_NODELAY"));
    nodelay.server = Some(slow_server);
    nodelay.client = Some(script);
    compare("the same with TCP_NODELAY", nodelay, 700);
    // The select lesson's server (one thread, epoll over non-blocking
    // sockets) with the echo lesson's client: the event loop puts on the
    // wire what the threaded server does.
    let mut select = Setup::new(LessonId::Echo, 7);
    select.server = Some(EchoServer::default().select_script(Lang::En));
    compare("the select lesson's server", select, 700);
    // The byte-stream lesson: a slow reader taking 8 bytes at a time.
    compare(
        "byte-stream",
        Setup::new(
            LessonId::ByteStream,
            LessonId::ByteStream.info().default_seed,
        ),
        1500,
    );
    // The buffers lesson's programs with buffers Linux accepts: the
    // window fills and closes, the sender waits for its persist timer to
    // use a window smaller than a segment, probes the closed window (and
    // the receiver answers at most one probe per 500 ms), and each recv()
    // that empties the queue reopens it. The lesson itself keeps
    // teaching-sized buffers (16 bytes, an MSS of 8) that Linux would
    // refuse, and counts them in bytes; these sizes show what Linux does.
    compare_world(
        "buffers, at Linux's sizes",
        buffers_at_linux_sizes(Lang::En),
        LINUX_SIZED_BUFFERS,
        1500,
    );
    // The mistakes lessons with one client: close() with unread bytes and
    // a send after the peer's FIN (the RSTs); shutdown(SHUT_WR) and the
    // answer after it; the handler spinning on b'' until the process ends.
    for lesson in [LessonId::Reset, LessonId::HalfClose, LessonId::BusyLoop] {
        compare(
            lesson.slug(),
            Setup::new(lesson, lesson.info().default_seed),
            700,
        );
    }
}

/// Linux's buffers for the buffers lesson's programs (`tcp_rmem` and
/// `tcp_wmem` of 4,096 bytes, set in both namespaces, and no timestamps,
/// as in the lesson).
const LINUX_SIZED_BUFFERS: &[&str] = &[
    "net.ipv4.tcp_rmem=4096 4096 4096",
    "net.ipv4.tcp_wmem=4096 4096 4096",
    "net.ipv4.tcp_timestamps=0",
    "net.ipv4.tcp_moderate_rcvbuf=0",
];
