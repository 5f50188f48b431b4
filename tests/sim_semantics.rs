//! World-level tests of the semantics the lessons depend on (listed in
//! `src/sim/README.md`, "What the lessons rely on"):
//!
//! - a full backlog drops SYNs silently and the client's kernel retries
//!   (1 s apart, then doubling, as Linux 6.5+) until the server has room;
//!   with SYN cookies, a full SYN queue answers with a cookie instead;
//! - a restarted server finds its old connection in TIME-WAIT holding the
//!   port;
//! - when the main thread ends, daemon threads end with the process, and the
//!   kernel closes the fds the process still held;
//! - a non-daemon thread keeps the process alive until it ends;
//! - a removed client's kernel closes its connections (FIN, or RST with
//!   unread data);
//! - a blocked `send()` keeps the bytes it was given; a stopped timer leaves
//!   the agenda.
//!
//! Each test builds a `World` from a `WorldConfig`, drives it step by step,
//! keeps every event, and checks the listen queues against the backlog after
//! every step.

use proptest::prelude::*;
use sockscope::echo::{connected_line, message_line, offline_line};

/// What the lessons' English echo server replies.
const REPLY: &str = "Got it, working on it…";
use sockscope::sim::event::{
    BlockReason, Call, DropReason, Fd, Ret, SendReason, SysError, ThreadEnd, TimerKind,
};
use sockscope::sim::lessons::code::{ClientKind, EchoClient, EchoServer, Script};
use sockscope::sim::os::thread::ThreadState;
use sockscope::sim::view::{SocketDetail, StreamView, ThreadView};
use sockscope::sim::world::{ClientSpec, ServerSpec, WorldConfig};
use sockscope::sim::{Action, Endpoint, Event, EventKind, HostId, Instant, Segment, State, World};

/// A world, every event it produced so far, and the fullest any listening
/// socket has been.
struct Sim {
    world: World,
    log: Vec<Event>,
    /// max over steps of (SYN queue + accept queue) of any listener.
    max_queued: usize,
}

impl Sim {
    fn new(config: WorldConfig) -> Sim {
        let mut world = World::new(config);
        let log = world.poll_events();
        let mut sim = Sim {
            world,
            log,
            max_queued: 0,
        };
        sim.check_listen_queues();
        sim
    }

    /// One step, then the invariant every step must keep.
    fn step(&mut self) -> bool {
        let more = self.world.step();
        self.log.extend(self.world.poll_events());
        self.check_listen_queues();
        more
    }

    /// Steps until `done` holds; panics (naming `what`) if the world
    /// finishes or runs too long first.
    fn run_until(&mut self, what: &str, done: impl Fn(&Sim) -> bool) {
        for _ in 0..100_000 {
            if done(self) {
                return;
            }
            if !self.step() {
                break;
            }
        }
        assert!(done(self), "never reached: {what}");
    }

    /// Steps until nothing more happens without a learner's action.
    fn run_to_end(&mut self) {
        for _ in 0..100_000 {
            if !self.step() {
                return;
            }
        }
        panic!("the world never came to rest");
    }

    fn act(&mut self, action: Action) {
        self.world.handle_action(&action);
        let events = self.world.poll_events();
        assert!(
            !events
                .iter()
                .any(|e| matches!(e.kind, EventKind::ActionIgnored { .. })),
            "action {action:?} was ignored: {events:?}"
        );
        self.log.extend(events);
    }

    /// Each listen queue never holds more than the backlog + 1 that Linux allows.
    fn check_listen_queues(&mut self) {
        for h in self.world.hosts() {
            for s in self.world.sockets(h.id) {
                if let SocketDetail::Listening {
                    backlog,
                    syn_queue,
                    accept_queue,
                    ..
                } = &s.detail
                {
                    let n = syn_queue.len() + accept_queue.len();
                    // Linux lets backlog + 1 connections wait for accept(),
                    // and as many be half-open.
                    for (queue, len) in [("accept", accept_queue.len()), ("SYN", syn_queue.len())] {
                        assert!(
                            len <= *backlog as usize + 1,
                            "at {} the {queue} queue of {} holds {len}, backlog {backlog}",
                            self.world.now(),
                            h.name
                        );
                    }
                    self.max_queued = self.max_queued.max(n);
                }
            }
        }
    }

    fn console(&self, host: HostId) -> Vec<&str> {
        self.log
            .iter()
            .filter(|e| e.host == Some(host))
            .filter_map(|e| match &e.kind {
                EventKind::Console { line, .. } => Some(line.as_str()),
                _ => None,
            })
            .collect()
    }

    fn find_thread(&self, host: HostId, name_prefix: &str) -> Option<ThreadView> {
        self.world
            .threads()
            .into_iter()
            .find(|t| t.host == host && t.name.starts_with(name_prefix))
    }

    fn thread(&self, host: HostId, name_prefix: &str) -> ThreadView {
        self.find_thread(host, name_prefix)
            .unwrap_or_else(|| panic!("no thread {name_prefix} on {}", host.name()))
    }

    /// Where in the log the first event matching `pred` is.
    fn position(&self, pred: impl Fn(&Event) -> bool) -> Option<usize> {
        self.log.iter().position(pred)
    }

    /// Segments a host put on the wire, with when and why.
    fn sent_by(&self, host: HostId) -> Vec<(Instant, &Segment, SendReason)> {
        self.log
            .iter()
            .filter(|e| e.host == Some(host))
            .filter_map(|e| match &e.kind {
                EventKind::SegmentSent {
                    segment, reason, ..
                } => Some((e.at, &**segment, *reason)),
                _ => None,
            })
            .collect()
    }

    /// The endpoint a client connected from (the source of its first SYN).
    fn client_endpoint(&self, client: HostId) -> Endpoint {
        self.sent_by(client)
            .into_iter()
            .find(|(_, s, _)| s.flags.syn && !s.flags.ack)
            .map(|(_, s, _)| s.src)
            .unwrap_or_else(|| panic!("{} sent no SYN", client.name()))
    }

    /// The server's connection socket to this peer, if the kernel still has one.
    fn server_stream_to(&self, peer: Endpoint) -> Option<(Option<Fd>, StreamView)> {
        self.world
            .sockets(HostId::SERVER)
            .into_iter()
            .find_map(|s| match s.detail {
                SocketDetail::Stream(v) if v.remote == peer => Some((s.fd, *v)),
                _ => None,
            })
    }

    /// A client's one stream socket.
    fn client_stream(&self, client: HostId) -> Option<StreamView> {
        self.world
            .sockets(client)
            .into_iter()
            .find_map(|s| match s.detail {
                SocketDetail::Stream(v) => Some(*v),
                _ => None,
            })
    }

    fn process_alive(&self, host: HostId) -> bool {
        self.world
            .hosts()
            .into_iter()
            .find(|h| h.id == host)
            .expect("host exists")
            .process_alive
    }
}

fn blocked_in_recv(t: Option<ThreadView>) -> bool {
    t.is_some_and(|t| {
        matches!(
            &t.state,
            ThreadState::Blocked {
                call: Call::Recv { .. },
                reason: BlockReason::RecvBufferEmpty,
            }
        )
    })
}

fn exited(end: ThreadEnd) -> ThreadState {
    ThreadState::Exited { end }
}

/// How a thread that died of `e` ended.
fn exception(e: SysError) -> ThreadEnd {
    let text = e.python();
    let (kind, message) = text.split_once(": ").unwrap();
    ThreadEnd::Exception {
        kind: kind.into(),
        message: message.into(),
    }
}

fn client(n: u8) -> HostId {
    HostId(n)
}

// ----------------------------------------------------------------------
// 1. A full backlog drops a SYN and the client retries
// ----------------------------------------------------------------------

/// `listen(backlog)` and scripted clients, each sending one message,
/// starting at the given times (µs). SYN cookies are off
/// (`net.ipv4.tcp_syncookies = 0`), so that a full SYN queue drops SYNs
/// too; `syn_cookies_answer_a_syn_beyond_a_full_syn_queue` tests the
/// cookies.
fn crowd(backlog: u32, starts: &[u64]) -> WorldConfig {
    WorldConfig {
        tcp: sockscope::sim::tcp::TcpConfig {
            syncookies: false,
            ..Default::default()
        },
        server: ServerSpec::echo(EchoServer {
            backlog,
            ..EchoServer::default()
        }),
        clients: starts
            .iter()
            .enumerate()
            .map(|(i, &at)| {
                let text = format!("hello from {}", i + 1);
                ClientSpec::new(ClientKind::Scripted, &[&text], Instant::from_micros(at))
            })
            .collect(),
        ..WorldConfig::default()
    }
}

#[test]
fn full_backlog_drops_syns_silently_and_clients_retry_until_accepted() {
    let config = crowd(1, &[1000; 6]);
    let syn_rto = config.tcp.syn_rto;
    let mut sim = Sim::new(config);
    sim.run_to_end();

    // The six SYNs arrive together: listen(1) has room for two (Linux lets
    // backlog + 1 connections wait); the other four are dropped, without an
    // answer.
    let drops: Vec<(Instant, &Segment)> = sim
        .log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentDropped {
                segment,
                reason: DropReason::BacklogFull | DropReason::SynQueueFull,
            } => {
                assert_eq!(e.host, Some(HostId::SERVER));
                Some((e.at, &**segment))
            }
            _ => None,
        })
        .collect();
    assert!(
        drops.iter().all(|(_, s)| s.flags.syn && !s.flags.ack),
        "only SYNs are dropped for a full backlog"
    );
    // Round one drops four of six; a second later those four retry at the
    // same moment and two are dropped again; the last two get in on their
    // third SYN.
    assert_eq!(drops.len(), 6, "drops: {drops:?}");
    assert!(
        drops.iter().any(|(_, s)| sim.log.iter().any(|e| matches!(
            &e.kind,
            EventKind::SegmentDropped { segment, reason: DropReason::SynQueueFull } if **segment == **s
        ))),
        "the first round finds the SYN queue full"
    );
    assert!(
        !sim.sent_by(HostId::SERVER)
            .iter()
            .any(|(_, s, _)| s.flags.rst),
        "a SYN dropped for a full backlog gets no RST (the client would give up)"
    );
    assert_eq!(
        sim.max_queued, 2,
        "the backlog of one (plus one) was used, never exceeded"
    );

    // Every SynQueued / AcceptQueued the kernel narrated stayed within the backlog.
    for e in &sim.log {
        match e.kind {
            EventKind::SynQueued {
                syn_queue, backlog, ..
            } => assert!(syn_queue <= backlog as usize + 1),
            EventKind::AcceptQueued {
                accept_queue,
                backlog,
                ..
            } => assert!(accept_queue <= backlog as usize + 1),
            _ => {}
        }
    }

    let mut syn_counts = vec![];
    for n in 1..=6u8 {
        let c = client(n);
        let me = sim.client_endpoint(c);
        let syns: Vec<(Instant, &Segment, SendReason)> = sim
            .sent_by(c)
            .into_iter()
            .filter(|(_, s, _)| s.flags.syn)
            .collect();
        let dropped = drops.iter().filter(|(_, s)| s.src == me).count();
        // One SYN per drop, plus the one that got through.
        assert_eq!(syns.len(), dropped + 1, "{}: {syns:?}", c.name());
        syn_counts.push(syns.len());
        for (i, (at, seg, reason)) in syns.iter().enumerate() {
            // The same connection every time: same port, same ISS.
            assert_eq!(seg.src, me);
            assert_eq!(seg.seq, syns[0].1.seq);
            if i == 0 {
                assert_eq!(*reason, SendReason::Syn);
                continue;
            }
            assert_eq!(*reason, SendReason::SynRetransmit);
            // Sent because the SYN timer fired: as Linux 6.5+ does, the
            // first five retries come 1 s apart, then the wait doubles.
            let mut rto = syn_rto;
            for _ in 5..i {
                rto = rto.doubled();
            }
            assert_eq!(*at - syns[i - 1].0, rto, "{}: retry {i}", c.name());
            assert!(sim.log.iter().any(|e| e.host == Some(c)
                && e.at == *at
                && e.kind
                    == EventKind::Timer {
                        timer: TimerKind::SynRetransmit
                    }));
        }
        // connect() stayed blocked in the handshake across the drops and
        // returned only after the SYN that got through was answered.
        let last_syn = syns.last().unwrap().0;
        let connected_at = sim
            .log
            .iter()
            .find(|e| {
                e.host == Some(c)
                    && matches!(
                        e.kind,
                        EventKind::Return {
                            call: Call::Connect { .. },
                            ret: Ret::Connected { .. }
                        }
                    )
            })
            .map(|e| e.at)
            .expect("connect returned");
        assert!(connected_at > last_syn);
        if dropped > 0 {
            assert!(sim.log.iter().any(|e| e.host == Some(c)
                && e.at < last_syn
                && matches!(
                    e.kind,
                    EventKind::Blocked {
                        call: Call::Connect { .. },
                        reason: BlockReason::Handshake
                    }
                )));
        }

        // In the end it was accepted and served.
        let addr = me.python();
        let server = sim.console(HostId::SERVER);
        assert!(
            server.contains(&connected_line(&addr).as_str()),
            "{server:?}"
        );
        let msg = message_line(&format!("hello from {n}"), &addr);
        assert!(server.contains(&msg.as_str()), "{server:?}");
        assert_eq!(sim.console(c), vec![REPLY]);
        assert_eq!(
            sim.thread(c, "MainThread").state,
            exited(ThreadEnd::Returned)
        );
        let accepted = sim
            .log
            .iter()
            .filter(|e| {
                matches!(&e.kind, EventKind::Return { ret: Ret::Accepted { peer, .. }, .. } if *peer == me)
            })
            .count();
        assert_eq!(accepted, 1, "{} accepted once", c.name());
    }
    syn_counts.sort();
    assert_eq!(syn_counts, vec![1, 1, 2, 2, 3, 3]);
}

#[test]
fn accept_queue_fills_to_the_backlog_and_no_further() {
    // listen(2), five clients at once: three handshakes (backlog + 1, as
    // on Linux) finish together and wait in the accept queue; the other two
    // SYNs are dropped.
    let mut sim = Sim::new(crowd(2, &[1000; 5]));
    sim.run_until("three connections wait for accept()", |s| {
        s.world.sockets(HostId::SERVER).iter().any(|v| {
            matches!(&v.detail, SocketDetail::Listening { accept_queue, .. } if accept_queue.len() == 3)
        })
    });
    let first_round = sim
        .log
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::SegmentDropped {
                    reason: DropReason::BacklogFull | DropReason::SynQueueFull,
                    ..
                }
            )
        })
        .count();
    assert_eq!(first_round, 2);
    sim.run_to_end();
    assert_eq!(sim.max_queued, 3);
    let server = sim.console(HostId::SERVER);
    for n in 1..=5u8 {
        let addr = sim.client_endpoint(client(n)).python();
        let msg = message_line(&format!("hello from {n}"), &addr);
        assert!(server.contains(&msg.as_str()), "client-{n}: {server:?}");
    }
}

#[test]
fn syn_cookies_answer_a_syn_beyond_a_full_syn_queue() {
    // Linux's default (`net.ipv4.tcp_syncookies = 1`): listen(1), four
    // SYNs at once. Two become half-open (the SYN queue holds backlog + 1),
    // the other two find it full and get a cookie SYN-ACK instead of being
    // dropped; the kernel keeps nothing for them. Their ACKs come back
    // with a valid cookie and rebuild the connections: everyone is served
    // without a single SYN retransmission.
    let mut config = crowd(1, &[1000; 4]);
    config.tcp.syncookies = true;
    let mut sim = Sim::new(config);
    sim.run_to_end();
    let cookies = sim
        .sent_by(HostId::SERVER)
        .into_iter()
        .filter(|(_, s, r)| *r == SendReason::SynCookie && s.flags.syn && s.flags.ack)
        .count();
    assert!(cookies >= 1, "some SYN-ACKs are cookies");
    let valid = sim
        .log
        .iter()
        .filter(|e| matches!(e.kind, EventKind::SynCookieValid { .. }))
        .count();
    assert!(valid >= 1 && valid <= cookies, "{valid} of {cookies}");
    for n in 1..=4u8 {
        let c = client(n);
        let retries = sim
            .sent_by(c)
            .iter()
            .filter(|(_, _, r)| *r == SendReason::SynRetransmit)
            .count();
        let addr = sim.client_endpoint(c).python();
        let msg = message_line(&format!("hello from {n}"), &addr);
        let server = sim.console(HostId::SERVER);
        assert!(server.contains(&msg.as_str()), "client-{n}: {server:?}");
        assert_eq!(sim.console(c), vec![REPLY]);
        assert_eq!(retries, 0, "client-{n} never had to send its SYN again");
    }
    assert!(!sim.log.iter().any(|e| matches!(
        e.kind,
        EventKind::SegmentDropped {
            reason: DropReason::SynQueueFull,
            ..
        }
    )));
}

// ----------------------------------------------------------------------
// 2. and 3. The main thread ends: daemon and non-daemon handlers
// ----------------------------------------------------------------------

/// A server that accepts two clients and then returns from its main
/// function; client-1 is interactive and starts at 1 ms.
fn serve_two(daemon: bool) -> Sim {
    let server = ServerSpec::echo(EchoServer {
        serve: Some(2),
        daemon,
        ..EchoServer::default()
    });
    let mut sim = interactive_clients(server, &[1]);
    // Client-1 is served: its handler echoes a first message, then waits
    // in recv() for the next.
    sim.act(Action::Send {
        client: 1,
        text: "first".into(),
    });
    let addr1 = sim.client_endpoint(client(1)).python();
    let first = message_line("first", &addr1);
    sim.run_until("first message echoed", |s| {
        s.console(HostId::SERVER).contains(&first.as_str())
            && blocked_in_recv(s.find_thread(HostId::SERVER, "Thread-1 "))
    });
    assert_eq!(
        sim.thread(HostId::SERVER, "MainThread").state,
        ThreadState::Blocked {
            call: Call::Accept { fd: 3 },
            reason: BlockReason::AcceptQueueEmpty
        }
    );
    // The second client is the main thread's last accept.
    sim.act(Action::AddClient);
    sim.run_until("main thread returned", |s| {
        s.thread(HostId::SERVER, "MainThread").state == exited(ThreadEnd::Returned)
    });
    sim
}

/// A server as `server` says and one interactive client per start time
/// (in ms), run until every client's handler waits in `recv()`.
fn interactive_clients(server: ServerSpec, starts_ms: &[u64]) -> Sim {
    let config = WorldConfig {
        server,
        clients: starts_ms
            .iter()
            .map(|ms| ClientSpec::new(ClientKind::Interactive, &[], Instant::from_millis(*ms)))
            .collect(),
        ..WorldConfig::default()
    };
    let mut sim = Sim::new(config);
    sim.run_until("every client's handler waits in recv()", |s| {
        (1..=starts_ms.len())
            .all(|n| blocked_in_recv(s.find_thread(HostId::SERVER, &format!("Thread-{n} "))))
    });
    sim
}

fn process_exited_at(sim: &Sim) -> Option<usize> {
    sim.position(|e| e.host == Some(HostId::SERVER) && e.kind == EventKind::ProcessExited)
}

fn thread_ended_at(sim: &Sim, prefix: &str, end: ThreadEnd) -> Option<usize> {
    sim.position(|e| {
        e.host == Some(HostId::SERVER)
            && matches!(&e.kind, EventKind::ThreadEnded { name, end: x } if name.starts_with(prefix) && *x == end)
    })
}

#[test]
fn daemon_handlers_end_with_the_process_and_the_kernel_closes_their_sockets() {
    let mut sim = serve_two(true);
    let peer1 = sim.client_endpoint(client(1));
    let peer2 = sim.client_endpoint(client(2));

    // The main thread returned after its second accept: the process ends at
    // once, and takes its daemon threads with it.
    let main_end = thread_ended_at(&sim, "MainThread", ThreadEnd::Returned).unwrap();
    let killed1 = thread_ended_at(&sim, "Thread-1 ", ThreadEnd::Killed)
        .expect("Thread-1 is killed with the process");
    let killed2 = thread_ended_at(&sim, "Thread-2 ", ThreadEnd::Killed)
        .expect("Thread-2 is killed with the process");
    let exit = process_exited_at(&sim).expect("ProcessExited is logged");
    assert!(main_end < killed1 && killed1 < exit && killed2 < exit);
    let t_exit = sim.log[exit].at;
    assert_eq!(sim.log[main_end].at, t_exit);
    assert!(!sim.process_alive(HostId::SERVER));
    assert!(sim.process_alive(client(1)) && sim.process_alive(client(2)));
    for name in ["Thread-1 ", "Thread-2 "] {
        let t = sim.thread(HostId::SERVER, name);
        assert!(t.daemon);
        assert_eq!(t.state, exited(ThreadEnd::Killed), "{name}");
    }
    // Thread-2 is killed before it ran a line of handle_client, but it did
    // start: Thread.start() returns only once the new thread has started,
    // so its start is logged before the main thread returns.
    let t2 = sim.thread(HostId::SERVER, "Thread-2 ").id;
    let started2 = sim
        .position(|e| e.thread == Some(t2) && matches!(e.kind, EventKind::ThreadStarted { .. }))
        .expect("Thread-2's start is logged");
    assert!(started2 < main_end && main_end < killed2);
    // Thread-1 was still inside recv() when it was killed: its last event
    // before that was blocking there, and recv never returned.
    let t1 = sim.thread(HostId::SERVER, "Thread-1 ").id;
    let last_before = sim.log[..killed1]
        .iter()
        .rev()
        .find(|e| e.thread == Some(t1))
        .unwrap();
    assert!(
        matches!(
            last_before.kind,
            EventKind::Blocked {
                call: Call::Recv { .. },
                reason: BlockReason::RecvBufferEmpty
            }
        ),
        "{last_before:?}"
    );

    // The kernel closed every fd of the dead process: no fd is left and the
    // listener is gone.
    assert!(sim
        .world
        .sockets(HostId::SERVER)
        .iter()
        .all(|s| s.fd.is_none() && !matches!(s.detail, SocketDetail::Listening { .. })));

    // The handlers had read everything, so each connection is closed with a
    // FIN (not a RST), sent at the moment the process died.
    sim.run_to_end();
    let server_sent = sim.sent_by(HostId::SERVER);
    for peer in [peer1, peer2] {
        assert!(
            server_sent.iter().any(|(at, s, r)| *at == t_exit
                && s.dst == peer
                && s.flags.fin
                && *r == SendReason::Fin),
            "FIN to {peer} at exit: {server_sent:?}"
        );
    }
    assert!(!server_sent.iter().any(|(_, s, _)| s.flags.rst));

    // The clients' kernels acknowledge the FIN: their programs have not
    // noticed yet (they wait for the learner), so they sit in CLOSE-WAIT,
    // and the kernel keeps the orphaned server side in FIN-WAIT-2.
    for (n, peer) in [(1, peer1), (2, peer2)] {
        assert_eq!(
            sim.client_stream(client(n)).unwrap().state,
            State::CloseWait
        );
        let (fd, v) = sim.server_stream_to(peer).expect("kept by the kernel");
        assert_eq!((fd, v.state), (None, State::FinWait2));
    }

    // Nobody will read what client-1 sends now: the orphaned connection
    // answers with RST, and nothing more is printed on the server.
    let server_lines = sim.console(HostId::SERVER).len();
    sim.act(Action::Send {
        client: 1,
        text: "still there?".into(),
    });
    sim.run_to_end();
    assert_eq!(sim.console(HostId::SERVER).len(), server_lines);
    assert!(sim
        .sent_by(HostId::SERVER)
        .iter()
        .any(|(_, s, r)| s.dst == peer1 && s.flags.rst && *r == SendReason::Rst));
    assert!(sim.server_stream_to(peer1).is_none());
    assert_eq!(sim.client_stream(client(1)).unwrap().state, State::Closed);

    // And nothing listens on the port any more: a new client's SYN finds no
    // socket and is refused with RST.
    sim.act(Action::AddClient);
    sim.run_to_end();
    let peer3 = sim.client_endpoint(client(3));
    assert!(sim.log.iter().any(|e| matches!(
        &e.kind,
        EventKind::SegmentDropped { segment, reason: DropReason::NoListener { listening: None } }
            if segment.src == peer3 && segment.flags.syn
    )));
    assert!(sim
        .sent_by(HostId::SERVER)
        .iter()
        .any(|(_, s, _)| s.dst == peer3 && s.flags.rst));
    // As on Linux: a SYN answered by RST is a refused connection.
    assert_eq!(
        sim.thread(client(3), "MainThread").state,
        exited(exception(SysError::ConnectionRefused))
    );
}

/// `server` and one client that sends "hi" at 1 ms, run until nothing more
/// happens.
fn one_client_to_the_end(server: ServerSpec) -> Sim {
    let config = WorldConfig {
        server,
        clients: vec![ClientSpec::new(
            ClientKind::Burst,
            &["hi"],
            Instant::from_millis(1),
        )],
        ..WorldConfig::default()
    };
    let mut sim = Sim::new(config);
    sim.run_to_end();
    sim
}

/// A server listening on another port than its clients connect to (a
/// learner who changed the port in one program only: the server on 8080,
/// the lesson's clients on 9090): each SYN finds no listener, is answered
/// with RST, and `connect()` raises `ConnectionRefusedError`; the drop
/// names the port that does listen.
#[test]
fn a_syn_to_a_port_nobody_listens_on_is_refused_and_the_listening_port_named() {
    let mut server = ServerSpec::echo(EchoServer::default());
    assert!(server.script.source.contains("9090"));
    server.script.source = server.script.source.replace("9090", "8080");
    let sim = one_client_to_the_end(server);
    let drop = sim
        .log
        .iter()
        .find(|e| matches!(&e.kind, EventKind::SegmentDropped { segment, .. } if segment.flags.syn))
        .expect("the client's SYN is dropped");
    let EventKind::SegmentDropped { segment, reason } = &drop.kind else {
        unreachable!()
    };
    assert_eq!(segment.dst.port, 9090);
    assert_eq!(
        *reason,
        DropReason::NoListener {
            listening: Some(8080)
        }
    );
    for (lang, words) in [
        (
            sockscope::sim::Lang::En,
            ["8080", "9090", "ConnectionRefusedError"],
        ),
        (
            sockscope::sim::Lang::Zh,
            ["8080", "9090", "ConnectionRefusedError"],
        ),
    ] {
        let text = drop.narration(lang);
        for w in words {
            assert!(text.contains(w), "{lang:?}: {text}");
        }
    }
    assert!(sim
        .sent_by(HostId::SERVER)
        .iter()
        .any(|(_, s, r)| s.flags.rst && *r == SendReason::Rst));
    assert_eq!(
        sim.thread(client(1), "MainThread").state,
        exited(exception(SysError::ConnectionRefused))
    );
}

#[test]
fn a_non_daemon_handler_keeps_the_process_alive_until_it_ends() {
    let mut sim = serve_two(false);
    let peer1 = sim.client_endpoint(client(1));
    let peer2 = sim.client_endpoint(client(2));
    let (addr1, addr2) = (peer1.python(), peer2.python());
    sim.run_until("both handlers wait in recv", |s| {
        blocked_in_recv(s.find_thread(HostId::SERVER, "Thread-1 "))
            && blocked_in_recv(s.find_thread(HostId::SERVER, "Thread-2 "))
    });

    // The main thread has returned, but the process lives on.
    assert_eq!(
        sim.thread(HostId::SERVER, "MainThread").state,
        exited(ThreadEnd::Returned)
    );
    assert!(process_exited_at(&sim).is_none());
    assert!(sim.process_alive(HostId::SERVER));
    assert!(!sim.thread(HostId::SERVER, "Thread-1 ").daemon);
    // The listening socket stays open too (the process still holds its fd).
    assert!(sim
        .world
        .sockets(HostId::SERVER)
        .iter()
        .any(|s| matches!(s.detail, SocketDetail::Listening { .. }) && s.fd.is_some()));

    // Both handlers keep serving.
    sim.act(Action::Send {
        client: 1,
        text: "later".into(),
    });
    sim.act(Action::Send {
        client: 2,
        text: "me too".into(),
    });
    sim.run_to_end();
    sim.act(Action::RecvNow { client: 1 });
    sim.run_to_end();
    let server = sim.console(HostId::SERVER);
    assert!(
        server.contains(&message_line("later", &addr1).as_str()),
        "{server:?}"
    );
    assert!(
        server.contains(&message_line("me too", &addr2).as_str()),
        "{server:?}"
    );
    // client-1 read both replies (to "first" and "later") in one recv.
    assert_eq!(
        sim.console(client(1)),
        vec![
            "send first".to_string(),
            "send later".to_string(),
            "recv".to_string(),
            format!("{REPLY}{REPLY}")
        ]
    );
    assert!(sim.process_alive(HostId::SERVER));

    // client-1 leaves: its handler returns; Thread-2 still keeps the process.
    sim.act(Action::Close { client: 1 });
    sim.run_to_end();
    assert!(sim
        .console(HostId::SERVER)
        .contains(&offline_line(&addr1).as_str()));
    assert_eq!(
        sim.thread(HostId::SERVER, "Thread-1 ").state,
        exited(ThreadEnd::Returned)
    );
    assert!(sim.process_alive(HostId::SERVER));
    assert!(process_exited_at(&sim).is_none());

    // client-2 leaves without reading its reply: closing with unread bytes
    // sends RST, so Thread-2's recv() raises ConnectionResetError. That ends
    // the last non-daemon thread, and only now does the process exit.
    // Nobody was killed.
    sim.act(Action::Close { client: 2 });
    sim.run_to_end();
    assert!(sim
        .sent_by(client(2))
        .iter()
        .any(|(_, s, r)| s.flags.rst && *r == SendReason::Rst));
    let reset = exception(SysError::ConnectionReset);
    let t2_end = thread_ended_at(&sim, "Thread-2 ", reset).expect("Thread-2 died of the reset");
    let exit = process_exited_at(&sim).expect("the process exits");
    assert!(t2_end < exit);
    assert_eq!(sim.log[t2_end].at, sim.log[exit].at);
    assert!(!sim.process_alive(HostId::SERVER));
    assert!(!sim.log.iter().any(|e| matches!(
        e.kind,
        EventKind::ThreadEnded {
            end: ThreadEnd::Killed,
            ..
        }
    )));
    // Exiting closed the listener; client-1's connection was closed by its
    // handler, with FIN, and the server never sent a RST.
    assert!(sim
        .world
        .sockets(HostId::SERVER)
        .iter()
        .all(|s| !matches!(s.detail, SocketDetail::Listening { .. })));
    assert!(sim
        .sent_by(HostId::SERVER)
        .iter()
        .any(|(_, s, r)| s.dst == peer1 && s.flags.fin && *r == SendReason::Fin));
    assert!(!sim
        .sent_by(HostId::SERVER)
        .iter()
        .any(|(_, s, _)| s.flags.rst));
}

// ----------------------------------------------------------------------
// Property: any small backlog, any crowd
// ----------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// For a random backlog, crowd and retry limit: the listen queues never
    /// exceed the backlog; a client gives up (TimeoutError) only if every one
    /// of its SYNs was dropped; every other client is accepted and served.
    #[test]
    fn crowds_are_served_within_the_backlog(
        backlog in 1u32..=3,
        starts in prop::collection::vec((0u64..8).prop_map(|k| 1000 + 150 * k), 1..=6),
        syn_retries in 0u8..=4,
        seed in any::<u64>(),
    ) {
        let mut config = crowd(backlog, &starts);
        config.seed = seed;
        config.tcp.syn_retries = syn_retries;
        let mut sim = Sim::new(config);
        sim.run_to_end(); // checks the queues after every step
        prop_assert!(sim.max_queued <= backlog as usize + 1);
        let server = sim.console(HostId::SERVER);
        for n in 1..=starts.len() as u8 {
            let c = client(n);
            let me = sim.client_endpoint(c);
            let syns = sim.sent_by(c).iter().filter(|(_, s, _)| s.flags.syn).count();
            let dropped = sim.log.iter().filter(|e| matches!(
                &e.kind,
                EventKind::SegmentDropped { segment, reason: DropReason::BacklogFull | DropReason::SynQueueFull } if segment.src == me
            )).count();
            let state = sim.thread(c, "MainThread").state;
            let served = server.contains(&message_line(&format!("hello from {n}"), &me.python()).as_str());
            if state == exited(exception(SysError::TimedOut)) {
                prop_assert_eq!(syns, 1 + syn_retries as usize + sim.world.config().tcp.syn_linear_timeouts as usize);
                prop_assert_eq!(dropped, syns, "client-{} gave up with a SYN through", n);
                prop_assert!(!served);
                prop_assert!(!server.contains(&connected_line(&me.python()).as_str()));
            } else {
                prop_assert_eq!(&state, &exited(ThreadEnd::Returned), "client-{}", n);
                prop_assert_eq!(dropped + 1, syns);
                prop_assert!(served, "client-{} not served: {:?}", n, server);
                prop_assert_eq!(sim.console(c), vec![REPLY]);
            }
        }
    }
}

// ----------------------------------------------------------------------
// 4. The learner removes a client: its process is ended
// ----------------------------------------------------------------------

#[test]
fn removing_a_client_ends_its_process_and_its_kernel_closes_the_connection() {
    let mut sim = interactive_clients(ServerSpec::default(), &[1, 2]);
    let peer1 = sim.client_endpoint(client(1));
    let addr1 = peer1.python();

    sim.act(Action::RemoveClient { client: 1 });
    // At once: its thread is stopped where it was and its process is gone.
    assert_eq!(
        sim.thread(client(1), "MainThread").state,
        exited(ThreadEnd::Terminated)
    );
    assert!(!sim.process_alive(client(1)));
    assert!(sim
        .log
        .iter()
        .any(|e| e.host == Some(client(1)) && e.kind == EventKind::ProcessTerminated));
    // Removed, but not gone: its connection is still closing.
    let removed = sim
        .world
        .hosts()
        .into_iter()
        .find(|h| h.id == client(1))
        .unwrap();
    assert!(removed.removed && !removed.gone);
    // Nothing was left unread, so its kernel closes the connection with a FIN.
    sim.run_to_end();
    assert!(sim
        .sent_by(client(1))
        .iter()
        .any(|(_, s, _)| s.src == peer1 && s.flags.fin && !s.flags.rst));
    // The server's handler reads b"" and says the client went offline; the
    // server and the other client carry on.
    assert!(sim
        .console(HostId::SERVER)
        .contains(&offline_line(&addr1).as_str()));
    assert!(sim.server_stream_to(peer1).is_none());
    assert!(sim.process_alive(HostId::SERVER));
    sim.act(Action::Send {
        client: 2,
        text: "still here".into(),
    });
    sim.run_to_end();
    let addr2 = sim.client_endpoint(client(2)).python();
    assert!(sim
        .console(HostId::SERVER)
        .contains(&message_line("still here", &addr2).as_str()));
    // Its kernel holds no socket any more; the view says it was removed.
    assert!(sim.world.sockets(client(1)).is_empty());
    let view = sim.world.hosts();
    assert!(view
        .iter()
        .any(|h| h.id == client(1) && h.removed && h.gone));
    assert!(view
        .iter()
        .any(|h| h.id == client(2) && !h.removed && !h.gone));

    // Removing it again does nothing, and says why.
    sim.world.handle_action(&Action::RemoveClient { client: 1 });
    assert!(sim
        .world
        .poll_events()
        .iter()
        .any(|e| matches!(e.kind, EventKind::ActionIgnored { .. })));
    // A removed client frees its place on the stage: a new one gets the next number.
    sim.act(Action::AddClient);
    sim.run_to_end();
    assert!(sim.world.hosts().iter().any(|h| h.id == client(3)));
}

#[test]
fn removing_a_client_with_unread_data_resets_the_connection() {
    // The server replies, but client-1 never calls recv: the reply waits in
    // its receive buffer when its process is ended.
    let mut sim = interactive_clients(ServerSpec::default(), &[1]);
    sim.act(Action::Send {
        client: 1,
        text: "hello".into(),
    });
    sim.run_until("the reply waits unread in client-1's receive buffer", |s| {
        s.client_stream(client(1))
            .is_some_and(|v| !v.recv_buffer.is_empty())
    });
    let peer1 = sim.client_endpoint(client(1));
    sim.act(Action::RemoveClient { client: 1 });
    sim.run_to_end();
    assert!(sim
        .sent_by(client(1))
        .iter()
        .any(|(_, s, _)| s.src == peer1 && s.flags.rst));
    // The handler's recv() raises ConnectionResetError, which ends its
    // thread; the server process and its listener carry on.
    assert_eq!(
        sim.thread(HostId::SERVER, "Thread-1 ").state,
        exited(exception(SysError::ConnectionReset))
    );
    // As in CPython, the dead thread's frame goes, but the socket object
    // lives on: the main thread's global `conn` still names it, so its fd
    // stays open...
    assert!(sim
        .server_stream_to(peer1)
        .is_some_and(|(fd, _)| fd.is_some()));
    assert!(sim.process_alive(HostId::SERVER));
    // ...until the next accept() rebinds `conn`: then nothing refers to it,
    // and CPython (reference counting) closes it at once.
    sim.act(Action::AddClient);
    sim.run_to_end();
    assert!(sim.server_stream_to(peer1).is_none());
}

/// The kernel copies a blocked `send()`'s bytes from the buffer the program
/// passed when it called: changing the encoding while the send waits for
/// room changes neither how many bytes it sends nor which (it once re-encoded
/// the text and sliced past the end of the shorter bytes).
#[test]
fn a_blocked_send_keeps_the_bytes_it_was_given() {
    // The server never reads while the test looks: it sleeps far longer
    // than the 200 steps below last, even with the persist timer's
    // probes 120 s apart.
    let server = ServerSpec {
        recv_capacity: 8,
        ..ServerSpec::echo(EchoServer {
            sleep: Some(sockscope::sim::Duration::from_secs(1_000_000)),
            ..EchoServer::default()
        })
    };
    let mut sim = Sim::new(WorldConfig {
        server,
        clients: vec![ClientSpec {
            send_capacity: 8,
            interactive: true,
            ..ClientSpec::python(
                EchoClient {
                    encoding: sockscope::echo::TextEncoding::Utf8,
                    ..EchoClient::new(ClientKind::Interactive)
                }
                .script(sockscope::sim::Lang::En),
                Instant::from_millis(1),
            )
        }],
        ..WorldConfig::default()
    });
    sim.run_until("the handler sleeps", |s| {
        s.find_thread(HostId::SERVER, "Thread-1 ").is_some()
    });
    let text = "一二三四五六七八九十"; // 30 bytes in UTF-8, 20 in GBK
    sim.act(Action::Send {
        client: 1,
        text: text.into(),
    });
    sim.run_until("send() blocks on a full send buffer", |s| {
        matches!(
            s.thread(client(1), "MainThread").state,
            ThreadState::Blocked {
                reason: BlockReason::SendBufferFull { .. },
                ..
            }
        )
    });
    // The encoding is written in the program: switching it is refused, and
    // the send goes on with the bytes it was given.
    sim.world.handle_action(&Action::SetEncoding {
        encoding: sockscope::echo::TextEncoding::Gbk,
    });
    let events = sim.world.poll_events();
    assert!(events
        .iter()
        .any(|e| matches!(e.kind, EventKind::ActionIgnored { .. })));
    sim.log.extend(events);
    for _ in 0..200 {
        if !sim.step() {
            break;
        }
    }
    let blocked_total = sim.log.iter().find_map(|e| match &e.kind {
        EventKind::Blocked {
            reason: BlockReason::SendBufferFull { total, .. },
            ..
        } => Some(*total),
        _ => None,
    });
    assert_eq!(blocked_total, Some(text.len()));
    let utf8 = text.as_bytes();
    let peer = sim.client_endpoint(client(1));
    let (_, server_side) = sim.server_stream_to(peer).expect("connected");
    assert_eq!(
        server_side.recv_buffer,
        &utf8[..8],
        "the first 8 bytes arrived"
    );
    let client_side = sim.client_stream(client(1)).expect("connected");
    assert_eq!(
        client_side.send_buffer,
        &utf8[8..16],
        "the next 8 UTF-8 bytes wait in the send buffer, whatever the encoding is now"
    );
}

/// A timer that was stopped leaves the agenda: when nothing is left to do,
/// the clock stands at the last thing that happened, not at a cancelled
/// timer's deadline (the SYN's retransmission timer, stopped by the SYN-ACK,
/// used to drag an idle world's clock a second ahead).
#[test]
fn a_stopped_timer_leaves_the_agenda() {
    let mut sim = interactive_clients(ServerSpec::default(), &[1]);
    sim.run_to_end();
    let last = sim.log.last().expect("events").at;
    assert_eq!(sim.world.now(), last);
    assert!(sim.world.is_finished());
    assert!(
        sim.log
            .iter()
            .all(|e| !matches!(e.kind, EventKind::Timer { .. })),
        "no timer fired"
    );
}

/// One thread of a process runs Python at a time (CPython's GIL): a thread
/// in a busy loop keeps it for the 5 ms switch interval, then lets a
/// waiting thread run; it is pointed out as spinning; and when the main
/// thread ends, the daemon spinner dies with the process.
#[test]
fn the_reply_is_the_english_programs() {
    assert_eq!(
        REPLY,
        sockscope::echo::default_reply(sockscope::sim::Lang::En)
    );
}

#[test]
fn threads_take_turns_with_the_gil_and_a_busy_loop_is_pointed_out() {
    use sockscope::sim::lessons::code::Script;
    let source = "import threading, time\n\
                  def spin():\n    n = 0\n    while True:\n        n += 1\n\
                  def talk():\n    for i in range(3):\n        print('tick', i)\n        time.sleep(0.03)\n\
                  threading.Thread(target=spin, daemon=True).start()\n\
                  t = threading.Thread(target=talk)\n\
                  t.start()\n\
                  t.join()\n\
                  print('done')\n";
    let mut sim = Sim::new(WorldConfig {
        server: ServerSpec::new(Script {
            file: "spin.py".into(),
            source: source.into(),
        }),
        ..WorldConfig::default()
    });
    let mut waited = false;
    for _ in 0..20_000 {
        waited |= sim
            .world
            .threads()
            .iter()
            .any(|t| t.state == ThreadState::Ready);
        if !sim.step() {
            break;
        }
    }
    assert!(sim.world.is_finished(), "the process ends");
    assert!(waited, "a thread waited for the GIL");
    assert_eq!(
        sim.console(HostId::SERVER),
        vec!["tick 0", "tick 1", "tick 2", "done"]
    );
    assert!(sim.log.iter().any(|e| matches!(
        e.kind,
        EventKind::Spinning {
            statements: 1000,
            eof_recvs: 0
        }
    )));
    // The spinner held the GIL for a switch interval before `talk` printed.
    let first_tick = sim
        .log
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Console { line, .. } if line == "tick 0"))
        .unwrap()
        .at;
    assert!(first_tick >= Instant::from_millis(5), "{first_tick}");
    assert_eq!(
        sim.thread(HostId::SERVER, "Thread-1 (spin)").state,
        exited(ThreadEnd::Killed)
    );
}

/// A server busy before it calls `accept()`: two clients wait in the accept
/// queue of `listen(2)`, two more arrive together. Both SYNs
/// are answered (the SYN queue has room), but only one handshake fits: the
/// other's last ACK is dropped, as Linux drops it. That client believes it
/// is connected (its `connect()` returns and it sends), while the server's
/// side stays SYN-RECEIVED and its SYN-ACK goes again, until `accept()`
/// makes room. Every client is served in the end.
#[test]
fn a_full_accept_queue_drops_the_last_ack_and_the_syn_ack_is_sent_again() {
    let server = Script {
        file: "server.py".into(),
        source: "import socket\nimport threading\nimport time\n\n\ndef handle(conn, addr):\n    while True:\n        data = conn.recv(1024)\n        if not data:\n            break\n        conn.send(b\"ok\")\n    conn.close()\n\n\nserver = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nserver.bind((\"\", 9090))\nserver.listen(2)\ntime.sleep(3)  # busy: nobody calls accept() yet\nwhile True:\n    conn, addr = server.accept()\n    threading.Thread(target=handle, args=(conn, addr), daemon=True).start()\n".into(),
    };
    let config = WorldConfig {
        server: ServerSpec::new(server),
        clients: [1_000u64, 1_000, 20_000, 20_000]
            .iter()
            .enumerate()
            .map(|(i, &at)| {
                let text = format!("hello from {}", i + 1);
                ClientSpec::new(ClientKind::Scripted, &[&text], Instant::from_micros(at))
            })
            .collect(),
        ..WorldConfig::default()
    };
    let mut sim = Sim::new(config);
    sim.run_to_end();
    let dropped: Vec<&Segment> = sim
        .log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SegmentDropped {
                segment,
                reason: DropReason::AcceptQueueFull,
            } => Some(&**segment),
            _ => None,
        })
        .collect();
    assert!(!dropped.is_empty(), "a last ACK was dropped");
    let victim = dropped[0].src;
    let resent_synacks = sim
        .sent_by(HostId::SERVER)
        .iter()
        .filter(|(_, s, r)| *r == SendReason::SynAckRetransmit && s.dst == victim)
        .count();
    assert!(resent_synacks >= 1, "the SYN-ACK went again");
    // The victim's connect() returned long before the server accepted it.
    let victim_host = (1..=4)
        .map(client)
        .find(|h| sim.client_endpoint(*h) == victim)
        .unwrap();
    let connected_at = sim
        .log
        .iter()
        .find(|e| {
            e.host == Some(victim_host)
                && matches!(
                    e.kind,
                    EventKind::Return {
                        ret: Ret::Connected { .. },
                        ..
                    }
                )
        })
        .map(|e| e.at)
        .unwrap();
    let queued_at = sim
        .log
        .iter()
        .find(|e| matches!(&e.kind, EventKind::AcceptQueued { peer, .. } if *peer == victim))
        .map(|e| e.at)
        .unwrap();
    assert!(
        queued_at.since_start().total_micros()
            > connected_at.since_start().total_micros() + 1_000_000,
        "connected at {connected_at}, in the accept queue at {queued_at}"
    );
    for n in 1..=4 {
        assert_eq!(sim.console(client(n)), vec!["ok"], "{}", client(n).name());
    }
}

/// A server that closes its connection first keeps it in TIME-WAIT; a new
/// socket binding the port then fails with EADDRINUSE unless both the new
/// socket and the old one (through its listener) set SO_REUSEADDR, as on
/// Linux (checked there with the same program: see the comment below).
#[test]
fn bind_after_time_wait_needs_so_reuseaddr_on_both_sockets() {
    // Under CPython on Linux 6.x this prints, for REUSE_FIRST = False:
    // "False 98" and "True 98"; for REUSE_FIRST = True: "False 98", "True bound".
    let program = |reuse_first: bool| {
        Script {
        file: "server.py".into(),
        source: format!(
            "import socket\nimport time\n\nREUSE_FIRST = {}\nsrv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nif REUSE_FIRST:\n    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\nsrv.bind((\"\", 9090))\nsrv.listen(1)\nconn, addr = srv.accept()\nconn.recv(1024)\nconn.close()  # the server closes first: TIME-WAIT is on its side\nsrv.close()\ntime.sleep(0.5)\nfor reuse in (False, True):\n    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n    if reuse:\n        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n    try:\n        s.bind((\"\", 9090))\n        print(reuse, \"bound\")\n    except OSError as e:\n        print(reuse, e.errno)\n    s.close()\n",
            if reuse_first { "True" } else { "False" }
        ),
    }
    };
    for (reuse_first, want) in [
        (false, vec!["False 98", "True 98"]),
        (true, vec!["False 98", "True bound"]),
    ] {
        let sim = one_client_to_the_end(ServerSpec::new(program(reuse_first)));
        assert_eq!(
            sim.console(HostId::SERVER),
            want,
            "REUSE_FIRST = {reuse_first}"
        );
    }
}

/// A [`Restart`] runs the server's program again in a new process on the
/// same kernel: a restart due while the last run is alive waits for it to
/// exit; the new run's fds count from 3 again and its `sys.argv` is the
/// restart's; a connection the last run left in TIME-WAIT still holds the
/// port, and `bind()` says who holds it, for how long, and which side
/// lacked SO_REUSEADDR.
#[test]
fn a_restarted_server_finds_its_old_connection_in_time_wait() {
    use sockscope::sim::event::PortHolder;
    use sockscope::sim::world::Restart;
    let source = "import socket\nimport sys\n\nreuse = \"--reuse\" in sys.argv\nsrv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nprint(sys.argv[1:], srv.fileno())\nif reuse:\n    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ntry:\n    srv.bind((\"\", 9090))\nexcept OSError as e:\n    print(e.errno)\n    sys.exit(1)\nsrv.listen(1)\nconn, addr = srv.accept()\nconn.recv(1024)\nconn.close()  # the server closes first: TIME-WAIT is on its side\nsrv.close()\nprint(\"served\")\n";
    let server = ServerSpec {
        args: vec!["--reuse".into()],
        restarts: vec![
            // Due while the first run still waits in accept(): it waits.
            Restart {
                at: Instant::from_micros(500),
                args: vec![],
            },
            Restart {
                at: Instant::from_millis(3000),
                args: vec!["--reuse".into()],
            },
            Restart {
                at: Instant::from_millis(3500),
                args: vec![],
            },
        ],
        ..ServerSpec::new(Script {
            file: "server.py".into(),
            source: source.into(),
        })
    };
    let mut sim = Sim::new(WorldConfig {
        server,
        clients: vec![
            ClientSpec::new(ClientKind::Burst, &["one"], Instant::from_millis(1000)),
            ClientSpec::new(ClientKind::Burst, &["two"], Instant::from_millis(3100)),
        ],
        ..WorldConfig::default()
    });
    sim.run_to_end();
    assert_eq!(
        sim.console(HostId::SERVER),
        vec![
            "['--reuse'] 3",
            "served",
            // The first restart, postponed until the first run exited.
            "[] 3",
            "98",
            "['--reuse'] 3",
            "served",
            "[] 3",
            "98",
        ]
    );
    let starts: Vec<Instant> = sim
        .log
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ProgramRestarted { .. }))
        .map(|e| e.at)
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(starts[0] > Instant::from_millis(1000), "{starts:?}");
    assert_eq!(
        &starts[1..],
        [Instant::from_millis(3000), Instant::from_millis(3500)]
    );
    let conflicts: Vec<(&PortHolder, bool, Instant)> = sim
        .log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PortInUse {
                port: 9090,
                holder,
                reuse_addr,
            } => Some((holder, *reuse_addr, e.at)),
            _ => None,
        })
        .collect();
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    // Right after the first run exits, its connection is still closing
    // (the client's FIN crossed the server's); at 3.5 s the second run's
    // connection is in TIME-WAIT.
    assert!(matches!(
        conflicts[0].0,
        PortHolder::Connection {
            reuse_addr: true,
            ..
        }
    ));
    for &(holder, reuse, at) in &conflicts[1..] {
        assert!(!reuse);
        let PortHolder::Connection {
            state,
            reuse_addr,
            time_wait_left: Some(left),
            ..
        } = holder
        else {
            panic!("held by {holder:?}");
        };
        assert_eq!(*state, State::TimeWait);
        assert!(*reuse_addr, "inherited from the --reuse listener");
        // Counted from when one of the server's connections entered
        // TIME-WAIT (both runs left one: the first in the table is named).
        let time_wait = sim.world.config().tcp.time_wait;
        assert!(
            sim.log.iter().any(|e| e.at < at
                && e.host == Some(HostId::SERVER)
                && matches!(
                    e.kind,
                    EventKind::State {
                        to: State::TimeWait,
                        ..
                    }
                )
                && e.at + time_wait == at + *left),
            "{left} left at {at}"
        );
    }
}

/// Resizing the buffers of a connection whose SYN-ACK has just arrived: the
/// window our SYN promised counts from the peer's first sequence number, so
/// the receive buffer keeps its size (it once grew to the distance between
/// two random sequence numbers, a gigabyte, in every later snapshot).
#[test]
fn resizing_buffers_right_after_the_handshake_keeps_them_small() {
    use sockscope::sim::view::SocketDetail;
    use sockscope::sim::{Action, LessonId, Run};
    let script = [
        (
            7,
            Action::Navigate {
                url: "http://www.example.test/%2e%2e/x".into(),
            },
        ),
        (
            13,
            Action::SetBuffers {
                target: 2,
                send_capacity: 30,
                recv_capacity: 28,
            },
        ),
        (
            37,
            Action::SetBuffers {
                target: 3,
                send_capacity: 13,
                recv_capacity: 27,
            },
        ),
        (
            3,
            Action::Navigate {
                url: "http://www.example.test/../secret".into(),
            },
        ),
        (10, Action::AddClient),
        (
            35,
            Action::Send {
                client: 4,
                text: "a much longer message".into(),
            },
        ),
    ];
    let mut run = Run::new(LessonId::MultiClient, 73);
    for (steps, a) in script {
        run.play(steps);
        run.apply(a);
        for h in run.world().hosts() {
            for s in run.world().sockets(h.id) {
                if let SocketDetail::Stream(v) = s.detail {
                    assert!(
                        v.recv_capacity <= 65_535 && v.send_capacity <= 65_535,
                        "{:?}: {} / {}",
                        h.id,
                        v.send_capacity,
                        v.recv_capacity
                    );
                }
            }
        }
    }
}

/// A reset and a broken pipe, as CPython on Linux reports them (the same
/// two programs under python3 print exactly these lines): the server closes
/// one connection with unread bytes (RST: the client's recv raises
/// ConnectionResetError), and another with nothing unread (FIN); the
/// client's next send "works", the answer to it is RST, the send after that
/// raises BrokenPipeError, and then recv returns b''.
#[test]
fn a_reset_then_a_broken_pipe_are_reported_once_each() {
    let server = Script {
        file: "server.py".into(),
        source: "import socket\nimport time\n\nserver = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nserver.bind((\"\", 9090))\nserver.listen(8)\nconn, addr = server.accept()\ntime.sleep(0.5)\nconn.close()\nconn, addr = server.accept()\nconn.close()\ntime.sleep(3)\n".into(),
    };
    let client_src = "import socket\nimport time\n\nc1 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nc1.connect((\"10.0.0.1\", 9090))\nprint(\"send returned\", c1.send(b\"are you reading?\"))\ntime.sleep(1)\ntry:\n    print(c1.recv(1024))\nexcept ConnectionResetError as e:\n    print(\"recv:\", e)\nc2 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nc2.connect((\"10.0.0.1\", 9090))\ntime.sleep(1)\nprint(\"send returned\", c2.send(b\"first\"))\ntime.sleep(1)\ntry:\n    print(\"send returned\", c2.send(b\"second\"))\nexcept BrokenPipeError as e:\n    print(\"send:\", e)\nprint(c2.recv(1024))\n";
    let config = WorldConfig {
        server: ServerSpec::new(server),
        clients: vec![ClientSpec::python(
            Script {
                file: "client.py".into(),
                source: client_src.into(),
            },
            Instant::from_millis(1),
        )],
        ..WorldConfig::default()
    };
    let mut sim = Sim::new(config);
    sim.run_to_end();
    assert_eq!(
        sim.console(client(1)),
        vec![
            "send returned 16",
            "recv: [Errno 104] Connection reset by peer",
            "send returned 5",
            "send: [Errno 32] Broken pipe",
            "b''"
        ]
    );
}
