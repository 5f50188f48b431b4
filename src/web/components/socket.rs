//! One socket: its fd, TCP state, addresses, and (for a connection) its send
//! and receive buffers; for a listening socket, its SYN and accept queues.

use super::buffer::BufferView;
use super::network::ByteMark;
use crate::echo::TextEncoding;
use crate::sim::view::{SocketDetail, SocketView};
use crate::sim::{HostId, SeqNumber, ThreadId};
use crate::web::i18n::{self, Lang};
use crate::web::state::ByteDisplay;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SocketProps {
    pub lang: Lang,
    pub socket: SocketView,
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
                </div>
            }
        }
    }
}
