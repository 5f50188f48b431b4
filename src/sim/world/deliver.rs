//! The wire's two ends: a segment put on the wire, a segment arriving at a
//! host (demultiplexed to its socket, or to a listener as a new connection,
//! or answered with RST), and the listener's queues.

use super::*;
use crate::sim::net::segment::{Flags, TcpOptions};
use crate::sim::tcp::cookie;

impl World {
    pub(super) fn transmit(
        &mut self,
        h: HostId,
        s: Option<SockId>,
        seg: Segment,
        reason: SendReason,
    ) {
        let Some(to) = self.host_by_ip(seg.dst.ip) else {
            return;
        };
        let now = self.now;
        if let Some(s) = s {
            self.http.on_wire(h, s, &seg, now);
        }
        let relative = s.and_then(|s| self.kernel(h).tcp(s)).map(|t| Relative {
            seq: seg.seq.0.wrapping_sub(t.iss().0),
            ack: if seg.flags.ack {
                seg.ack.0.wrapping_sub(t.irs().0)
            } else {
                0
            },
        });
        if let Some((id, arrives_at)) = self.network.send(h, to, now, seg.clone()) {
            self.log.push(
                Origin::host(h).on(s),
                EventKind::SegmentSent {
                    segment: Box::new(seg),
                    reason,
                    arrives_at,
                    relative,
                },
            );
            self.schedule(arrives_at, Task::Deliver(id));
        }
    }

    /// `seg` would finish the handshake of the half-open `t`, but its
    /// listener's accept queue is full.
    fn completes_into_full_queue(&self, h: HostId, t: &TcpSocket, seg: &Segment) -> bool {
        t.state() == State::SynReceived
            && seg.flags.ack
            && !seg.flags.rst
            && seg.ack == t.iss() + 1
            && t.listener()
                .and_then(|l| self.kernel(h).listener(l))
                .is_some_and(|l| l.accept_queue_full())
    }

    pub(super) fn handshake_done(&mut self, h: HostId, child: SockId) {
        let k = self.kernel_mut(h);
        let Some(lid) = k.tcp(child).and_then(|t| t.listener()) else {
            return;
        };
        let peer = k.tcp(child).map(|t| t.remote()).expect("child exists");
        let Some(l) = k.listener_mut(lid) else { return };
        l.syn_queue.retain(|c| *c != child);
        l.accept_queue.push(child);
        let (n, backlog) = (l.accept_queue.len(), l.backlog);
        self.log.push(
            Origin::socket(h, lid),
            EventKind::AcceptQueued {
                peer,
                accept_queue: n,
                backlog,
            },
        );
        self.wake_socket(h, lid);
    }

    /// A CLOSED connection the program no longer holds leaves the table
    /// (and any listener queue it was waiting in).
    pub(super) fn maybe_free(&mut self, h: HostId, s: SockId) {
        let k = self.kernel_mut(h);
        let Some(sock) = k.get(s) else { return };
        let SocketKind::Stream(t) = &sock.kind else {
            return;
        };
        if t.state() != State::Closed || sock.fd.is_some() {
            return;
        }
        let graph = t
            .graph()
            .sent_data()
            .then(|| crate::sim::view::ConnectionGraph {
                host: h,
                local: t.local(),
                remote: t.remote(),
                points: t.graph().to_vec(),
            });
        if let Some(lid) = t.listener() {
            if let Some(l) = k.listener_mut(lid) {
                l.syn_queue.retain(|c| *c != s);
                l.accept_queue.retain(|c| *c != s);
            }
        }
        k.free(s);
        self.past_graphs.extend(graph);
        self.polls.retain(|p| *p != (h, s));
        // Its slot may be reused: nothing of this socket stays due.
        self.agenda.cancel(
            |t| matches!(*t, Task::Timer(th, ts, _) | Task::Poll(th, ts) if (th, ts) == (h, s)),
        );
    }

    pub(super) fn deliver(&mut self, id: u64) {
        let Some(f) = self.network.take(id) else {
            return;
        };
        if f.lost {
            self.log.push(
                Origin::host(f.to),
                EventKind::SegmentDropped {
                    segment: Box::new(f.segment),
                    reason: DropReason::Lost,
                },
            );
            return;
        }
        let seg = f.segment;
        let h = f.to;
        let now = self.now;
        let cfg = self.config.tcp.clone();
        let target = self.kernel(h).demux(seg.dst, seg.src);
        self.log.push(
            Origin::host(h).on(target),
            EventKind::SegmentDelivered {
                segment: Box::new(seg.clone()),
            },
        );
        let Some(sid) = target else {
            let reason = self.no_socket(h, &seg);
            self.drop_and_reset(h, seg, reason);
            return;
        };
        match &self.kernel(h).get(sid).expect("demux found it").kind {
            SocketKind::Stream(t) if self.completes_into_full_queue(h, t, &seg) => {
                // Linux's `listen_overflow`: the handshake's ACK is dropped
                // and the connection stays half-open; the SYN-ACK timer
                // will ask again.
                self.log.push(
                    Origin::socket(h, sid),
                    EventKind::SegmentDropped {
                        segment: Box::new(seg),
                        reason: DropReason::AcceptQueueFull,
                    },
                );
            }
            SocketKind::Stream(_) => {
                let mut out = Out::default();
                let tcp = self.kernel_mut(h).tcp_mut(sid).expect("stream");
                tcp.process(&seg, now, &cfg, &mut out);
                // As Linux does, the kernel answers each segment before it
                // takes the next: an ACK owed now, or data the ACK let go.
                if out.poll {
                    tcp.dispatch(now, &cfg, &mut out);
                    out.poll = false;
                }
                let rcv_end = tcp.received_end();
                if !seg.payload.is_empty() {
                    self.http.on_arrival(h, sid, rcv_end, now);
                }
                self.apply_out(h, sid, out);
            }
            SocketKind::Listener(l) => {
                let (accept_full, syn_full) = (l.accept_queue_full(), l.syn_queue_full());
                if !seg.flags.syn && seg.flags.ack && !seg.flags.rst && l.cookies_recent(now) {
                    // Linux's `cookie_v4_check`: an ACK for no half-open
                    // connection may answer a SYN cookie.
                    let (secret, local) = (
                        self.cookie_secret(h),
                        Endpoint::new(l.local.ip, seg.dst.port),
                    );
                    if let Some(options) = cookie::check(secret, local, seg.src, &seg, now) {
                        if accept_full {
                            self.log.push(
                                Origin::socket(h, sid),
                                EventKind::SegmentDropped {
                                    segment: Box::new(seg),
                                    reason: DropReason::CookieAcceptQueueFull,
                                },
                            );
                        } else {
                            self.open_from_cookie(h, sid, seg, options);
                        }
                        return;
                    }
                }
                if !seg.flags.syn || seg.flags.ack {
                    self.drop_and_reset(h, seg, DropReason::NoSocket);
                    return;
                }
                if accept_full || (syn_full && !cfg.syncookies) {
                    // Linux's `tcp_conn_request`: no room to wait for
                    // accept(), or (without cookies) none to be half-open.
                    let reason = if accept_full {
                        DropReason::BacklogFull
                    } else {
                        DropReason::SynQueueFull
                    };
                    self.log.push(
                        Origin::socket(h, sid),
                        EventKind::SegmentDropped {
                            segment: Box::new(seg),
                            reason,
                        },
                    );
                    return;
                }
                if syn_full {
                    self.send_syn_cookie(h, sid, &seg);
                    return;
                }
                let (local, backlog) = (l.local, l.backlog);
                let iss = SeqNumber(self.rng.next_u32());
                let k = self.kernel_mut(h);
                let (sc, rc) = (k.send_capacity, k.recv_capacity);
                let local = Endpoint::new(local.ip, seg.dst.port);
                // An accepted socket inherits the listener's kernel options
                // (not Python's timeout, which belongs to the socket object).
                let parent = k.get(sid).map(|s| s.opts).unwrap_or_default();
                let opts = SockOpts {
                    reuse_addr: parent.reuse_addr,
                    nodelay: parent.nodelay,
                    ..SockOpts::default()
                };
                let child_id = k.insert(Socket {
                    opts,
                    ..Socket::fresh()
                });
                let mut child = TcpSocket::new(local, seg.src, iss, (sc, rc), &cfg);
                child.set_nodelay(opts.nodelay, &mut Out::default());
                let l = k.listener_mut(sid).expect("listener");
                l.syn_queue.push(child_id);
                let n = l.syn_queue.len();
                self.log.push(
                    Origin::socket(h, sid),
                    EventKind::SynQueued {
                        peer: seg.src,
                        syn_queue: n,
                        backlog,
                    },
                );
                let mut out = Out::default();
                child.accept_syn(&seg, sid, &mut out);
                self.kernel_mut(h).get_mut(child_id).expect("inserted").kind =
                    SocketKind::Stream(Box::new(child));
                self.apply_out(h, child_id, out);
            }
            SocketKind::Fresh { .. } => {
                let reason = self.no_socket(h, &seg);
                self.drop_and_reset(h, seg, reason)
            }
        }
    }

    /// The secret SYN cookies of host `h` are keyed with (Linux draws one
    /// at boot): derived from the seed, so that making a cookie draws no
    /// random number and a lesson without cookies runs as before.
    fn cookie_secret(&self, h: HostId) -> u64 {
        (self.config.seed ^ 0x5359_4e63_6f6f_6b69).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ u64::from(h.0)
    }

    /// The SYN queue is full: answer `syn` with a SYN cookie and keep
    /// nothing (Linux's `tcp_conn_request` with `want_cookie`). The SYN-ACK
    /// is what a half-open connection would send, with the cookie as its
    /// sequence number.
    fn send_syn_cookie(&mut self, h: HostId, lid: SockId, syn: &Segment) {
        let now = self.now;
        let cfg = self.config.tcp.clone();
        let secret = self.cookie_secret(h);
        let k = self.kernel_mut(h);
        let (sc, rc) = (k.send_capacity, k.recv_capacity);
        let Some(l) = k.listener_mut(lid) else { return };
        l.last_cookie = Some(now);
        let local = Endpoint::new(l.local.ip, syn.dst.port);
        let iss = cookie::make(secret, local, syn.src, syn, now);
        let answered = Segment {
            options: cookie::answerable(&syn.options),
            ..syn.clone()
        };
        let mut sock = TcpSocket::new(local, syn.src, iss, (sc, rc), &cfg);
        let mut scratch = Out::default();
        sock.accept_syn(&answered, lid, &mut scratch);
        let mut out = Out::default();
        sock.dispatch(now, &cfg, &mut out);
        for (seg, _) in out.segments {
            self.transmit(h, None, seg, SendReason::SynCookie);
        }
    }

    /// `seg` acknowledged a valid SYN cookie and the accept queue has room:
    /// the connection is made now, from the SYN the cookie remembers, as if
    /// its SYN-ACK had just been sent; then `seg` completes it (and any
    /// data it carries is received).
    fn open_from_cookie(&mut self, h: HostId, lid: SockId, seg: Segment, options: TcpOptions) {
        let now = self.now;
        let cfg = self.config.tcp.clone();
        self.log.push(
            Origin::socket(h, lid),
            EventKind::SynCookieValid { peer: seg.src },
        );
        let k = self.kernel_mut(h);
        let (sc, rc) = (k.send_capacity, k.recv_capacity);
        let Some(l) = k.listener(lid) else { return };
        let local = Endpoint::new(l.local.ip, seg.dst.port);
        let parent = k.get(lid).map(|s| s.opts).unwrap_or_default();
        let opts = SockOpts {
            reuse_addr: parent.reuse_addr,
            nodelay: parent.nodelay,
            ..SockOpts::default()
        };
        let syn = Segment {
            src: seg.src,
            dst: seg.dst,
            seq: SeqNumber(seg.seq.0.wrapping_sub(1)),
            ack: SeqNumber(0),
            flags: Flags {
                syn: true,
                ..Flags::default()
            },
            window: seg.window,
            options,
            payload: vec![],
            write_ends: vec![],
        };
        let iss = SeqNumber(seg.ack.0.wrapping_sub(1));
        let mut child = TcpSocket::new(local, seg.src, iss, (sc, rc), &cfg);
        let mut scratch = Out::default();
        child.set_nodelay(opts.nodelay, &mut scratch);
        child.accept_syn(&syn, lid, &mut scratch);
        // The SYN-ACK went long ago (it was the cookie): only its effect on
        // the socket is wanted, not a segment or a timer.
        child.dispatch(now, &cfg, &mut scratch);
        let child_id = k.insert(Socket {
            opts,
            kind: SocketKind::Stream(Box::new(child)),
            ..Socket::fresh()
        });
        let mut out = Out::default();
        let tcp = self.kernel_mut(h).tcp_mut(child_id).expect("inserted");
        tcp.process(&seg, now, &cfg, &mut out);
        if out.poll {
            tcp.dispatch(now, &cfg, &mut out);
            out.poll = false;
        }
        self.apply_out(h, child_id, out);
    }

    /// Why no socket of host `h` takes `seg`: for a SYN, that nothing
    /// listens on its port (naming a port that something does listen on).
    fn no_socket(&self, h: HostId, seg: &Segment) -> DropReason {
        if seg.flags.syn && !seg.flags.ack {
            DropReason::NoListener {
                listening: self.kernel(h).listening_ports().first().copied(),
            }
        } else {
            DropReason::NoSocket
        }
    }

    /// No socket wants this segment: drop it, and answer RST as RFC 9293
    /// §3.10.7.1 asks (never to a RST).
    pub(super) fn drop_and_reset(&mut self, h: HostId, seg: Segment, reason: DropReason) {
        self.log.push(
            Origin::host(h),
            EventKind::SegmentDropped {
                segment: Box::new(seg.clone()),
                reason,
            },
        );
        if let Some(rst) = TcpSocket::reset_for(&seg) {
            self.transmit(h, None, rst, SendReason::Rst);
        }
    }
}
