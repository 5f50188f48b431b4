//! One socket: its fd, TCP state, addresses, and (for a connection) its send
//! and receive buffers; for a listening socket, its SYN and accept queues.

use super::buffer::BufferView;
use super::network::ByteMark;
use crate::echo::TextEncoding;
use crate::sim::event::Ready;
use crate::sim::tcp::state::{State, LINUX_ETHERNET_MSS, LINUX_MIN_RCVBUF, LINUX_MIN_SNDBUF};
use crate::sim::view::StreamView;
use crate::sim::view::{SocketDetail, SocketView};
use crate::sim::{HostId, Instant, SeqNumber, ThreadId};
use crate::web::i18n::{self, Lang};
use crate::web::state::ByteDisplay;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SocketProps {
    pub lang: Lang,
    pub socket: SocketView,
    /// What the newest `select()` found ready on this fd (for writing when
    /// `true`).
    #[prop_or_default]
    pub ready: Vec<(Ready, bool)>,
    /// Show cwnd, ssthresh and RTO (where the network loses segments).
    #[prop_or_default]
    pub congestion: bool,
    /// The simulation's time (for the TIME-WAIT countdown).
    #[prop_or_default]
    pub now: Instant,
    pub display: ByteDisplay,
    pub encoding: TextEncoding,
    /// Bytes to highlight (an HTTP header the learner clicked).
    #[prop_or_default]
    pub mark: Option<ByteMark>,
    /// The colour of the thread working on it (its lane's).
    #[prop_or_default]
    pub lane: Option<usize>,
    /// That thread.
    #[prop_or_default]
    pub thread: Option<ThreadId>,
    /// The pointer is over that thread's lane, cursor or this card.
    #[prop_or_default]
    pub hovered: bool,
    #[prop_or_default]
    pub on_hover: Callback<Option<ThreadId>>,
}

/// Congestion control's state on the card: cwnd (in segments of the MSS),
/// ssthresh and the retransmission timeout.
fn congestion_row(v: &StreamView, lang: Lang) -> Html {
    let ssthresh = v
        .ssthresh
        .map_or_else(|| "∞".to_string(), |s| s.to_string());
    html! {
        <div class="seqvars congestion-vars">
            <span class="seqvar cwnd" title={i18n::CWND_HELP.get(lang)}>
                <abbr>{ "cwnd" }</abbr>{ format!(" {} × {} B", v.cwnd, v.mss) }</span>
            <span class="seqvar ssthresh" title={i18n::SSTHRESH_HELP.get(lang)}>
                <abbr>{ "ssthresh" }</abbr>{ format!(" {ssthresh}") }</span>
            <span class="seqvar rto" title={i18n::RTO_HELP.get(lang)}>
                <abbr>{ "RTO" }</abbr>{ format!(" {} ms", v.rto_ms) }</span>
        </div>
    }
}

/// What this connection keeps smaller than Linux would, said on the card
/// (the narration says it too).
fn teaching_sizes(v: &StreamView, lang: Lang) -> Html {
    let mut parts = vec![];
    if v.send_capacity < LINUX_MIN_SNDBUF {
        parts.push(i18n::teaching_send_buffer(
            lang,
            v.send_capacity,
            LINUX_MIN_SNDBUF,
        ));
    }
    if v.recv_capacity < LINUX_MIN_RCVBUF {
        parts.push(i18n::teaching_recv_buffer(
            lang,
            v.recv_capacity,
            LINUX_MIN_RCVBUF,
        ));
    }
    // The payload a segment carries: the MSS less 12 bytes of timestamps
    // when both sides use them (1448 on Linux's Ethernet).
    if v.mss < LINUX_ETHERNET_MSS - 12 {
        parts.push(i18n::teaching_mss(lang, v.mss));
    }
    if parts.is_empty() {
        return Html::default();
    }
    html! {
        <div class="teaching-sizes" title={i18n::TEACHING_SIZES_HELP.get(lang)}>
            <span class="tag">{ i18n::TEACHING_SIZES.get(lang) }</span>{ parts.join(i18n::LIST_SEP.get(lang)) }
        </div>
    }
}

/// In TIME-WAIT: how long until the kernel frees the connection, and why
/// the clock may run faster there.
fn time_wait(v: &StreamView, now: Instant, lang: Lang) -> Html {
    match (v.state, v.time_wait_ends) {
        (State::TimeWait, Some(until)) => {
            let left = until.0.saturating_sub(now.0) as f64 / 1e6;
            html! {
                <div class="time-wait" title={i18n::TIME_WAIT_HELP.get(lang)}>
                    { i18n::time_wait_left(lang, left) }
                </div>
            }
        }
        _ => Html::default(),
    }
}

/// The marks `select()` left on this fd: readable or writable, and why.
fn ready_marks(ready: &[(Ready, bool)], lang: Lang) -> Html {
    html! {
        { for ready.iter().map(|(r, write)| {
            let why = i18n::readiness(lang, &r.why);
            let (class, name) = if *write {
                ("ready-write", i18n::READY_WRITE.get(lang))
            } else {
                ("ready-read", i18n::READY_READ.get(lang))
            };
            html! { <span class={classes!("ready", class)} title={i18n::READY_HELP.get(lang)}>{ format!("{name}: {why}") }</span> }
        }) }
    }
}

/// A sequence variable as Wireshark shows it: relative to the first
/// sequence number of its direction, with the raw number on hover.
fn seqvar(name: &'static str, rel: u32, raw: SeqNumber, help: i18n::Text, lang: Lang) -> Html {
    let title = format!(
        "{} {}: {}",
        i18n::RAW_NUMBER.get(lang),
        raw.0,
        help.get(lang)
    );
    html! {
        <span class="seqvar" {title}><abbr>{ name }</abbr>{ format!(" {rel}") }</span>
    }
}

#[function_component(SocketCard)]
pub fn socket_card(props: &SocketProps) -> Html {
    let lang = props.lang;
    let s = &props.socket;
    let tie = classes!(
        (!props.ready.is_empty()).then_some("is-ready"),
        props.lane.map(|c| format!("lane-{}", c % 8)),
        props.lane.is_some().then_some("tied"),
        props.hovered.then_some("hovered")
    );
    let enter = {
        let t = props.thread;
        props.on_hover.reform(move |_: MouseEvent| t)
    };
    let leave = props.on_hover.reform(|_: MouseEvent| None);
    let fd = match s.fd {
        Some(fd) => format!("fd {fd}"),
        None => i18n::NO_FD.get(lang).to_string(),
    };
    match &s.detail {
        SocketDetail::Fresh { port } => html! {
            <div class={classes!("socket", "fresh", tie)}>
                <div class="socket-head"><span class="fd">{ fd }</span>
                    <span class="addr">{ port.map(|p| format!(":{p}")).unwrap_or_default() }</span></div>
            </div>
        },
        SocketDetail::Listening {
            local,
            backlog,
            syn_queue,
            accept_queue,
        } => {
            let queue = |title: i18n::Text, items: &Vec<crate::sim::Endpoint>| {
                html! {
                    <div class="queue">
                        <span class="queue-title">{ title.get(lang) }</span>
                        <span class="queue-slots">
                            { for items.iter().map(|e| html!{ <span class="slot">{ format!("{}:{}", e.ip, e.port) }</span> }) }
                            if items.is_empty() { <span class="slot empty">{ i18n::EMPTY.get(lang) }</span> }
                        </span>
                    </div>
                }
            };
            html! {
                <div class={classes!("socket", "listening", tie)} data-lane={props.lane.map(|c| c.to_string())} onmouseenter={enter} onmouseleave={leave} aria-label={format!("{} {}:{}", i18n::LISTENING_SOCKET.get(lang), local.ip, local.port)}>
                    <div class="socket-head">
                        <span class="fd">{ fd }</span>
                        <span class="state st-listen">{"LISTEN"}</span>
                        <span class="addr">{ format!("{}:{}", local.ip, local.port) }</span>
                        <span class="backlog">{ format!("backlog {backlog}") }</span>
                        { ready_marks(&props.ready, lang) }
                    </div>
                    { queue(i18n::SYN_QUEUE, syn_queue) }
                    { queue(i18n::ACCEPT_QUEUE, accept_queue) }
                </div>
            }
        }
        SocketDetail::Stream(v) => {
            // The server receives what the client side sends, and the other way round.
            let client_side = s.host != HostId::SERVER;
            let send_mark = props
                .mark
                .filter(|m| m.to_server == client_side)
                .and_then(|m| m.overlap(v.send_seq, v.send_buffer.len()));
            let recv_mark = props
                .mark
                .filter(|m| m.to_server != client_side)
                .and_then(|m| m.overlap(v.recv_seq, v.recv_buffer.len()));
            let state_class = format!("st-{}", v.state.to_string().to_ascii_lowercase());
            html! {
                <div class={classes!("socket", "stream", tie)} onmouseenter={enter} onmouseleave={leave} data-lane={props.lane.map(|c| c.to_string())}
                     data-local={format!("{}:{}", v.local.ip, v.local.port)}>
                    <div class="socket-head">
                        <span class="fd">{ fd }</span>
                        <span class={classes!("state", state_class)}>{ v.state.to_string() }</span>
                        <span class="addr">{ format!("{}:{} ⇄ {}:{}", v.local.ip, v.local.port, v.remote.ip, v.remote.port) }</span>
                        { ready_marks(&props.ready, lang) }
                    </div>
                    <div class="buffers">
                        <BufferView {lang} title={i18n::SEND_BUFFER.get(lang)} bytes={v.send_buffer.clone()}
                            capacity={v.send_capacity} display={props.display} encoding={props.encoding} highlight={send_mark} />
                        <BufferView {lang} title={i18n::RECV_BUFFER.get(lang)} bytes={v.recv_buffer.clone()}
                            capacity={v.recv_capacity} display={props.display} encoding={props.encoding} receive=true highlight={recv_mark} />
                    </div>
                    <div class="seqvars">
                        { seqvar("SND.UNA", v.snd_una_rel, v.snd_una, i18n::SND_UNA_HELP, lang) }
                        { seqvar("SND.NXT", v.snd_nxt_rel, v.snd_nxt, i18n::SND_NXT_HELP, lang) }
                        { seqvar("RCV.NXT", v.rcv_nxt_rel, v.rcv_nxt, i18n::RCV_NXT_HELP, lang) }
                        <span class="seqvar" title={i18n::IN_FLIGHT_HELP.get(lang)}><abbr>{ i18n::IN_FLIGHT.get(lang) }</abbr>{ format!(" {}", v.in_flight) }</span>
                        <span class="seqvar" title={i18n::PEER_WINDOW_HELP.get(lang)}><abbr>{ i18n::PEER_WINDOW.get(lang) }</abbr>{ format!(" {}", v.peer_window) }</span>
                    </div>
                    if props.congestion { { congestion_row(v, lang) } }
                    { time_wait(v, props.now, lang) }
                    { teaching_sizes(v, lang) }
                </div>
            }
        }
    }
}
