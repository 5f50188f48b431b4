//! The stage: the server host on top (its process, thread lanes and
//! listening socket), then one row per client: the server's socket for that
//! client, the wire with its segments, and the client host with its socket.
//! A thread's lane and the socket it works on share its colour.

use super::code_text::split_comment;
use super::network::ByteMark;
use super::segment_detail::SegmentDetail;
use super::socket::SocketCard;
use super::threads::{Lane, ThreadLanes};
use super::wire::Wire;
use crate::echo::TextEncoding;
use crate::sim::event::{Call, EventKind, Fd, Ready, Relative, Ret};
use crate::sim::net::wire::InFlight;
use crate::sim::view::{HostView, SocketDetail, SocketView, ThreadView};
use crate::sim::{Event, HostId, Instant, SockId, ThreadId, World};
use crate::web::i18n::{self, Lang};
use crate::web::relative::Isns;
use crate::web::state::ByteDisplay;
use yew::prelude::*;

/// Everything the stage draws, copied out of the world once per render.
#[derive(Clone, PartialEq)]
pub struct StageData {
    pub hosts: Vec<HostView>,
    pub threads: Vec<ThreadView>,
    pub sockets: Vec<Vec<SocketView>>,
    pub in_flight: Vec<InFlight>,
    /// The socket each thread last made a call on.
    pub uses: Vec<(ThreadId, HostId, SockId)>,
    /// Each direction's first sequence number, for relative numbers.
    pub isns: Isns,
    /// The fds the newest `select()` of each live thread found ready (until
    /// the thread calls `select()` again): `(host, ready, for writing)`.
    pub ready: Vec<(HostId, Ready, bool)>,
}

impl StageData {
    pub fn of(world: &World) -> StageData {
        let hosts = world.hosts();
        let sockets = hosts.iter().map(|h| world.sockets(h.id)).collect();
        StageData {
            threads: world.threads(),
            sockets,
            in_flight: world.in_flight().to_vec(),
            hosts,
            uses: vec![],
            isns: Isns::default(),
            ready: vec![],
        }
    }

    /// As [`StageData::of`], with which socket each live thread works on,
    /// read from the log (the newest call each thread made on a socket).
    pub fn with_log(world: &World, log: &[Event]) -> StageData {
        let mut data = StageData::of(world);
        data.isns = Isns::of(log);
        let mut wanted: Vec<ThreadId> = data
            .threads
            .iter()
            .filter(|t| !matches!(t.state, crate::sim::os::thread::ThreadState::Exited { .. }))
            .map(|t| t.id)
            .collect();
        let mut selecting = wanted.clone();
        for e in log.iter().rev() {
            if selecting.is_empty() {
                break;
            }
            let (Some(t), Some(h)) = (e.thread, e.host) else {
                continue;
            };
            let Some(i) = selecting.iter().position(|w| *w == t) else {
                continue;
            };
            match &e.kind {
                EventKind::Return {
                    ret: Ret::Selected { read, write },
                    ..
                } => {
                    selecting.swap_remove(i);
                    data.ready.extend(read.iter().map(|r| (h, *r, false)));
                    data.ready.extend(write.iter().map(|r| (h, *r, true)));
                }
                EventKind::Call {
                    call: Call::Select { .. },
                } => {
                    selecting.swap_remove(i);
                }
                _ => {}
            }
        }
        for e in log.iter().rev() {
            if wanted.is_empty() {
                break;
            }
            let is_call = matches!(
                e.kind,
                EventKind::Call { .. } | EventKind::Return { .. } | EventKind::Blocked { .. }
            );
            if let (true, Some(t), Some(h), Some(s)) = (is_call, e.thread, e.host, e.socket) {
                if let Some(i) = wanted.iter().position(|w| *w == t) {
                    wanted.swap_remove(i);
                    data.uses.push((t, h, s));
                }
            }
        }
        data
    }

    /// What the newest `select()` said of this fd of this host.
    pub fn ready_of(&self, host: HostId, fd: Option<Fd>) -> Vec<(Ready, bool)> {
        self.ready
            .iter()
            .filter(|(h, r, _)| *h == host && Some(r.fd) == fd)
            .map(|(_, r, w)| (*r, *w))
            .collect()
    }

    /// Each thread with its colour: its index among all threads, so a lane,
    /// its code cursor and its socket share a colour.
    pub fn coloured_threads(&self) -> Vec<(usize, ThreadView)> {
        self.threads.iter().cloned().enumerate().collect()
    }

    /// A thread's colour.
    pub fn colour_of(&self, thread: ThreadId) -> Option<usize> {
        self.threads.iter().position(|t| t.id == thread)
    }

    /// The thread working on a socket, if any.
    pub fn user_of(&self, host: HostId, sock: SockId) -> Option<ThreadId> {
        self.uses
            .iter()
            .find(|(_, h, s)| *h == host && *s == sock)
            .map(|(t, _, _)| *t)
    }

    /// The text of a line of a host's program, without its comment.
    pub fn code_line(&self, host: HostId, line: u32) -> Option<String> {
        let h = self.hosts.iter().find(|h| h.id == host)?;
        let text = h
            .code
            .as_ref()?
            .source
            .lines()
            .nth(line.checked_sub(1)? as usize)?;
        Some(split_comment(text).0.trim_end().to_string())
    }

    /// The lanes of a host's threads.
    pub fn lanes(&self, host: HostId) -> Vec<Lane> {
        self.coloured_threads()
            .into_iter()
            .filter(|(_, t)| t.host == host)
            .map(|(color, t)| Lane {
                color,
                code: t
                    .line
                    .filter(|l| *l > 0)
                    .and_then(|l| self.code_line(host, l)),
                thread: t,
            })
            .collect()
    }
}

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub lang: Lang,
    pub data: StageData,
    pub clock: Instant,
    pub display: ByteDisplay,
    pub encoding: TextEncoding,
    pub selected_segment: Option<u64>,
    pub on_select_segment: Callback<Option<u64>>,
    #[prop_or_default]
    pub mark: Option<ByteMark>,
    #[prop_or_default]
    pub hover: Option<ThreadId>,
    #[prop_or_default]
    pub on_hover: Callback<Option<ThreadId>>,
    /// Socket cards show congestion control's state.
    #[prop_or_default]
    pub congestion: bool,
    /// Drop a segment on the wire.
    #[prop_or_default]
    pub on_drop: Option<Callback<u64>>,
    /// Controls for the bytes (text or hex, decoding), at the head of the rows.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = props.lang;
    let data = &props.data;
    let Some(server) = data.hosts.first() else {
        return html! { <section class="stage"><p class="stage-empty">{ i18n::STAGE_EMPTY.get(lang) }</p></section> };
    };
    let server_sockets = data.sockets.first().cloned().unwrap_or_default();
    let lane_list = |threads: Vec<Lane>| {
        html! { <ThreadLanes {lang} {threads} hover={props.hover} on_hover={props.on_hover.clone()} /> }
    };
    let lanes = |host: HostId| lane_list(data.lanes(host));
    // A server thread working on a connection is drawn in that connection's
    // row, above its socket: the lane and the socket it serves side by side.
    let server_lanes = data.lanes(HostId::SERVER);
    let serves = |lane: &Lane, sockets: &[&SocketView]| {
        !lane.thread.main
            && sockets
                .iter()
                .any(|s| data.user_of(s.host, s.id) == Some(lane.thread.id))
    };
    let streams: Vec<&SocketView> = server_sockets
        .iter()
        .filter(|s| matches!(s.detail, SocketDetail::Stream(_)))
        .collect();
    let in_server_box: Vec<Lane> = server_lanes
        .iter()
        .filter(|l| !serves(l, &streams))
        .cloned()
        .collect();
    let card = |s: &SocketView| {
        let user = data.user_of(s.host, s.id);
        let ready = data.ready_of(s.host, s.fd);
        html! { <SocketCard {lang} socket={s.clone()} {ready} congestion={props.congestion} now={props.clock} display={props.display} encoding={props.encoding} mark={props.mark}
        lane={user.and_then(|t| data.colour_of(t))} thread={user}
        hovered={user.is_some() && user == props.hover} on_hover={props.on_hover.clone()} /> }
    };
    let remote_ip = |s: &SocketView| match &s.detail {
        SocketDetail::Stream(v) => Some(v.remote.ip),
        _ => None,
    };

    // Sockets are listed in the order of `hosts` (a host's id is not its position).
    let rows = data.hosts.iter().enumerate().skip(1).filter(|(_, h)| !h.gone).map(|(position, client)| {
        let mine: Vec<&SocketView> = server_sockets.iter().filter(|s| remote_ip(s) == Some(client.ip)).collect();
        let client_sockets = data.sockets.get(position).cloned().unwrap_or_default();
        let segments: Vec<(InFlight, Option<Relative>)> = data
            .in_flight
            .iter()
            .filter(|f| f.from == client.id || f.to == client.id)
            .map(|f| (f.clone(), data.isns.relative(&f.segment)))
            .collect();
        html! {
            <div class="conn-row" key={client.name.clone()} data-host={client.name.clone()}>
                <div class="conn-server">
                    { lane_list(server_lanes.iter().filter(|l| serves(l, &mine)).cloned().collect()) }
                    { for mine.iter().map(|s| card(s)) }
                    if mine.is_empty() {
                        // A client whose process has ended is done with the server.
                        <p class="placeholder">{ if client.process_alive { i18n::NO_CONNECTION } else { i18n::CONNECTION_GONE }.get(lang) }</p>
                    }
                </div>
                <Wire {lang} client={client.id} {segments} clock={props.clock}
                      selected={props.selected_segment} on_select={props.on_select_segment.clone()} mark={props.mark} />
                <div class={classes!("host", "client", (!client.process_alive).then_some("ended"))}
                     aria-label={format!("{} {}", client.name, client.ip)}>
                    <div class="host-head">
                        <strong>{ &client.name }</strong>
                        <span class="ip">{ client.ip.to_string() }</span>
                        if let Some(code) = &client.code { <span class="process">{ format!("python3 {}", code.file) }</span> }
                        if !client.process_alive { <span class="badge">{ i18n::PROCESS_ENDED.get(lang) }</span> }
                        if client.removed { <span class="badge warn">{ i18n::REMOVED.get(lang) }</span> }
                    </div>
                    { lanes(client.id) }
                    { for client_sockets.iter().map(card) }
                </div>
            </div>
        }
    });
    let listening = server_sockets
        .iter()
        .filter(|s| !matches!(s.detail, SocketDetail::Stream(_)));
    let selected = props
        .selected_segment
        .and_then(|id| data.in_flight.iter().find(|f| f.id == id).cloned());
    let file = server
        .code
        .as_ref()
        .map(|c| c.file.clone())
        .unwrap_or_else(|| "server.py".into());
    html! {
        <section class="stage" aria-label={i18n::STAGE_LABEL.get(lang)}>
            <div class={classes!("host", "server", (!server.process_alive).then_some("ended"))}
                 aria-label={format!("{} {}", server.name, server.ip)}>
                <div class="host-head">
                    <strong>{ i18n::SERVER.get(lang) }</strong>
                    <span class="ip">{ server.ip.to_string() }</span>
                    <span class="process">{ i18n::PROCESS.get(lang) }{ format!(" python3 {file}") }
                        // One process (its PID), however many threads; a forked
                        // server lists its processes beside this instead.
                        if let (1, Some(p)) = (server.processes.len(), server.processes.first()) {
                            { format!(" · PID {}", p.pid) }
                        }
                    </span>
                    if !server.process_alive { <span class="badge">{ i18n::PROCESS_ENDED.get(lang) }</span> }
                    if server.processes.len() > 1 { { process_table(&server.processes, lang) } }
                </div>
                <div class="server-body">
                    { lane_list(in_server_box) }
                    <div class="listening">{ for listening.map(card) }</div>
                </div>
            </div>
            <div class="conn-head">
                <span aria-hidden="true">{ i18n::SERVER_SIDE.get(lang) }</span>
                <span aria-hidden="true">{ i18n::WIRE.get(lang) }</span>
                <span class="conn-head-clients"><span aria-hidden="true">{ i18n::CLIENTS.get(lang) }</span>{ props.children.clone() }</span>
            </div>
            <div class="conn-rows">
                { for rows }
                if !data.hosts.iter().skip(1).any(|h| !h.gone) { <p class="placeholder">{ i18n::NO_CLIENTS.get(lang) }</p> }
            </div>
            if let Some(segment) = selected {
                <SegmentDetail {lang} rel={data.isns.relative(&segment.segment)} {segment} encoding={props.encoding}
                    on_close={props.on_select_segment.reform(|_| None)} on_drop={props.on_drop.clone()} />
            }
        </section>
    }
}

/// A host's processes once it has forked: each one's PID, its parent's, and
/// its own fd table (a child's fds name the same sockets as its parent's).
fn process_table(procs: &[crate::sim::view::ProcessView], lang: Lang) -> Html {
    let zh = lang == Lang::Zh;
    html! {
        <ul class="procs" aria-label={if zh { "进程" } else { "processes" }}>
            { for procs.iter().map(|p| {
                let fds: Vec<String> = p.fds.iter().map(|(fd, _)| fd.to_string()).collect();
                let fds = if fds.is_empty() { "–".to_string() } else { fds.join(" ") };
                let state = match (p.alive, p.exit_code, zh) {
                    (true, _, _) => String::new(),
                    (false, Some(c), true) => format!(" · 已退出 {c}"),
                    (false, Some(c), false) => format!(" · exited {c}"),
                    (false, None, true) => " · 已退出".into(),
                    (false, None, false) => " · exited".into(),
                };
                let title = if zh {
                    format!("进程 {}，父进程 {}；它的 fd 表：{fds}", p.pid, p.ppid)
                } else {
                    format!("process {}, parent {}; its fd table: {fds}", p.pid, p.ppid)
                };
                html! {
                    <li class={classes!("proc", (!p.alive).then_some("ended"))} data-pid={p.pid.to_string()} {title}>
                        { format!("PID {} · fd {fds}{state}", p.pid) }
                    </li>
                }
            }) }
        </ul>
    }
}
