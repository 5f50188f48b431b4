//! Read-only views of the world for the UI. The UI draws these and holds
//! no TCP logic of its own.

use super::event::{Fd, HostId, SockId, ThreadId};
use super::lessons::code::Script;
use super::net::segment::{Endpoint, SeqNumber};
use super::net::wire::InFlight;
use super::os::kernel::SocketKind;
use super::os::thread::ThreadState;
use super::tcp::graph::GraphPoint;
use super::tcp::{State, TcpSocket};
use super::time::Instant;
use super::world::World;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostView {
    pub id: HostId,
    pub name: String,
    pub ip: Ipv4Addr,
    /// Is its (first) process still running?
    pub process_alive: bool,
    /// Its processes: the first one, then those forked, in order.
    pub processes: Vec<ProcessView>,
    /// The learner removed it ([`crate::sim::Action::RemoveClient`]).
    pub removed: bool,
    /// Removed, and its kernel holds no socket any more: it has left the
    /// stage (until then its connections are still closing, or in TIME-WAIT).
    pub gone: bool,
    /// The program the process runs: its file name and text.
    pub code: Option<Script>,
    /// Its command line after the script's name (`sys.argv[1:]`).
    pub args: Vec<String>,
    /// It reads the lines the learner types (send, recv, close).
    pub interactive: bool,
    /// SO_SNDBUF and SO_RCVBUF: the buffer sizes its kernel gives a new socket.
    pub send_capacity: usize,
    pub recv_capacity: usize,
}

/// A process of a host: its PID, its parent's, and its own fd table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessView {
    pub pid: u32,
    /// The parent's PID (1 for a host's first process, started by a shell).
    pub ppid: u32,
    /// `multiprocessing`'s name (`Process-1`), for a process it started.
    pub name: Option<String>,
    pub alive: bool,
    /// Ended, and its parent has collected its exit code (until then a
    /// zombie).
    pub reaped: bool,
    /// Its exit status once it has ended (negative: killed by that signal).
    pub exit_code: Option<i32>,
    /// Its open fds, lowest first, and the socket each names (`None`: an
    /// epoll instance). A forked child's fds name the same sockets as its
    /// parent's.
    pub fds: Vec<(Fd, Option<SockId>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: ThreadId,
    pub host: HostId,
    pub name: String,
    pub daemon: bool,
    pub main: bool,
    /// Running, blocked (in which call, waiting for what) or exited.
    pub state: ThreadState,
    /// The current source line (1-based) in the host's program.
    pub line: Option<u32>,
    /// The PID of its process.
    pub pid: u32,
    /// Its process was forked (it is not the host's first process).
    pub forked: bool,
}

/// A connection's buffers and sequence variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamView {
    pub state: State,
    pub local: Endpoint,
    pub remote: Endpoint,
    /// Send buffer: bytes from SND.UNA on (the first `in_flight` are sent
    /// and unacknowledged, the rest unsent).
    pub send_buffer: Vec<u8>,
    pub send_capacity: usize,
    pub in_flight: usize,
    /// Receive buffer: bytes waiting for `recv()`.
    pub recv_buffer: Vec<u8>,
    pub recv_capacity: usize,
    /// The window this socket advertises now (receive buffer free space).
    pub window: u16,
    /// The window the peer advertised (SND.WND).
    pub peer_window: u16,
    pub snd_una: SeqNumber,
    pub snd_nxt: SeqNumber,
    pub rcv_nxt: SeqNumber,
    pub iss: SeqNumber,
    pub irs: SeqNumber,
    /// Relative numbers as Wireshark shows them (0 = the SYN).
    pub snd_una_rel: u32,
    pub snd_nxt_rel: u32,
    pub rcv_nxt_rel: u32,
    pub mss: u16,
    /// Sequence number of `send_buffer[0]`.
    pub send_seq: SeqNumber,
    /// Sequence number of `recv_buffer[0]`.
    pub recv_seq: SeqNumber,
    /// The congestion window and slow-start threshold, in segments.
    pub cwnd: u32,
    pub ssthresh: Option<u32>,
    /// The retransmission timeout now, in milliseconds (at least Linux's
    /// 200 ms `TCP_RTO_MIN`).
    pub rto_ms: u64,
    /// In TIME-WAIT: when it ends (the screen counts down to it; until
    /// then the port cannot be bound again without SO_REUSEADDR).
    pub time_wait_ends: Option<Instant>,
}

/// What the learner can set about the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NetworkSettings {
    pub loss_percent: u8,
    pub delay_ms: u64,
}

/// A connection's stream graph (see [`crate::sim::tcp::graph`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectionGraph {
    pub host: HostId,
    pub local: Endpoint,
    pub remote: Endpoint,
    pub points: Vec<GraphPoint>,
}

impl StreamView {
    /// What a TCP socket shows.
    pub fn of(t: &TcpSocket) -> StreamView {
        let (tx, rx) = (t.send_buffer(), t.recv_buffer());
        let (iss, irs) = (t.iss(), t.irs());
        StreamView {
            state: t.state(),
            local: t.local(),
            remote: t.remote(),
            send_buffer: tx.to_vec(),
            send_capacity: tx.capacity(),
            in_flight: t.data_in_flight(),
            recv_buffer: rx.to_vec(),
            recv_capacity: rx.capacity(),
            window: t.window(),
            peer_window: t.peer_window(),
            snd_una: t.snd_una(),
            snd_nxt: t.snd_nxt(),
            rcv_nxt: t.rcv_nxt(),
            iss,
            irs,
            snd_una_rel: t.snd_una().0.wrapping_sub(iss.0),
            snd_nxt_rel: t.snd_nxt().0.wrapping_sub(iss.0),
            rcv_nxt_rel: t.rcv_nxt().0.wrapping_sub(irs.0),
            mss: t.mss(),
            // Data starts after the SYN, which SND.UNA covers until it is acknowledged.
            send_seq: if t.snd_una() == iss {
                iss + 1
            } else {
                t.snd_una()
            },
            // The received data ends at RCV.NXT (less a FIN, which is no data).
            recv_seq: SeqNumber(t.received_end().0.wrapping_sub(rx.len() as u32)),
            cwnd: t.congestion().cwnd(),
            ssthresh: t.congestion().ssthresh(),
            rto_ms: t.rtt().rto().total_micros() / 1000,
            time_wait_ends: (t.state() == State::TimeWait)
                .then(|| t.timers().get(super::event::TimerKind::TimeWait))
                .flatten(),
        }
    }

    /// Where the byte with sequence number `seq` sits in `send_buffer`, if
    /// it is still there (sent and unacknowledged, or not sent yet).
    pub fn send_index(&self, seq: SeqNumber) -> Option<usize> {
        let d = seq.distance_from(self.send_seq);
        (d >= 0 && (d as usize) < self.send_buffer.len()).then_some(d as usize)
    }

    /// Where the byte with sequence number `seq` sits in `recv_buffer`, if
    /// it arrived and `recv()` has not taken it yet.
    pub fn recv_index(&self, seq: SeqNumber) -> Option<usize> {
        let d = seq.distance_from(self.recv_seq);
        (d >= 0 && (d as usize) < self.recv_buffer.len()).then_some(d as usize)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum SocketDetail {
    Fresh {
        port: Option<u16>,
    },
    Listening {
        local: Endpoint,
        backlog: u32,
        syn_queue: Vec<Endpoint>,
        accept_queue: Vec<Endpoint>,
    },
    Stream(Box<StreamView>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocketView {
    pub host: HostId,
    pub id: SockId,
    /// The program's fd; `None` after close while the kernel finishes the connection.
    pub fd: Option<Fd>,
    /// Every process holding an fd that names it: (PID, fd). More than one
    /// after a fork; the socket closes when the last of them is closed.
    #[serde(default)]
    pub held_by: Vec<(u32, Fd)>,
    pub detail: SocketDetail,
}

impl World {
    pub fn hosts(&self) -> Vec<HostView> {
        self.hosts
            .iter()
            .map(|h| HostView {
                id: h.id,
                name: h.name.clone(),
                ip: h.ip,
                process_alive: h.process_alive,
                processes: h
                    .procs
                    .iter()
                    .enumerate()
                    .map(|(p, pr)| ProcessView {
                        pid: pr.pid,
                        ppid: pr.ppid,
                        name: pr.name.clone(),
                        alive: pr.alive,
                        reaped: pr.reaped,
                        exit_code: pr.exit_code,
                        fds: h
                            .kernel
                            .open_fds(p)
                            .into_iter()
                            .map(|fd| (fd, h.kernel.by_fd(p, fd)))
                            .collect(),
                    })
                    .collect(),
                removed: h.removed,
                gone: h.removed && h.kernel.sockets.iter().all(Option::is_none),
                code: h.code.clone(),
                args: h
                    .client
                    .as_ref()
                    .map(|c| c.args.clone())
                    .unwrap_or_default(),
                interactive: h.client.as_ref().is_some_and(|c| c.interactive),
                send_capacity: h.kernel.send_capacity,
                recv_capacity: h.kernel.recv_capacity,
            })
            .collect()
    }

    /// The text of a host's program (in the language the run was made in).
    pub fn source_text(&self, host: HostId) -> String {
        self.find_host(host)
            .and_then(|h| h.code.as_ref())
            .map(|c| c.source.clone())
            .unwrap_or_default()
    }

    pub fn threads(&self) -> Vec<ThreadView> {
        self.threads
            .iter()
            .map(|t| ThreadView {
                id: t.id,
                host: t.host,
                name: t.name.clone(),
                daemon: t.daemon,
                main: t.main,
                state: t.state.clone(),
                line: t.line,
                pid: self.host(t.host).procs[t.proc].pid,
                forked: t.proc != 0,
            })
            .collect()
    }

    /// Every socket in a host's kernel, in table order.
    pub fn sockets(&self, host: HostId) -> Vec<SocketView> {
        let Some(h) = self.find_host(host) else {
            return vec![];
        };
        let k = &h.kernel;
        let remote_of = |id: &SockId| k.tcp(*id).map(|t| t.remote());
        k.sockets
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|s| (SockId(i as u16), s)))
            .map(|(id, s)| SocketView {
                host,
                id,
                fd: s.fd,
                held_by: k
                    .holders(id)
                    .into_iter()
                    .map(|(p, fd)| (h.procs[p].pid, fd))
                    .collect(),
                detail: match &s.kind {
                    SocketKind::Fresh { port } => SocketDetail::Fresh { port: *port },
                    SocketKind::Listener(l) => SocketDetail::Listening {
                        local: l.local,
                        backlog: l.backlog,
                        syn_queue: l.syn_queue.iter().filter_map(remote_of).collect(),
                        accept_queue: l.accept_queue.iter().filter_map(remote_of).collect(),
                    },
                    SocketKind::Stream(t) => SocketDetail::Stream(Box::new(StreamView::of(t))),
                },
            })
            .collect()
    }

    /// The stream graph of every connection that has sent data, freed
    /// ones first, then the live ones in host and table order.
    pub fn graphs(&self) -> Vec<ConnectionGraph> {
        let mut all = self.past_graphs.clone();
        for h in &self.hosts {
            for t in h
                .kernel
                .sockets
                .iter()
                .flatten()
                .filter_map(|s| match &s.kind {
                    SocketKind::Stream(t) if t.graph().sent_data() => Some(t),
                    _ => None,
                })
            {
                all.push(ConnectionGraph {
                    host: h.id,
                    local: t.local(),
                    remote: t.remote(),
                    points: t.graph().to_vec(),
                });
            }
        }
        all
    }

    /// The network's settings now: loss rate (percent) and one-way delay.
    pub fn network_settings(&self) -> NetworkSettings {
        NetworkSettings {
            loss_percent: self.network.loss.percent,
            delay_ms: self.network.latency.total_micros() / 1000,
        }
    }

    /// Segments on the wire now, oldest first. With `sent_at`/`arrives_at`
    /// (or [`InFlight::progress`]) the UI can place each along the wire.
    pub fn in_flight(&self) -> &[InFlight] {
        &self.network.in_flight
    }
}
