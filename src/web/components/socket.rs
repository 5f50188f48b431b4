//! One socket: its fd, TCP state, addresses, and (for a connection) its send
//! and receive buffers; for a listening socket, its SYN and accept queues.

use super::buffer::BufferView;
use super::network::ByteMark;
use crate::echo::TextEncoding;
use crate::sim::view::{SocketDetail, SocketView};
use crate::sim::HostId;
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
}

#[function_component(SocketCard)]
pub fn socket_card(props: &SocketProps) -> Html {
    let lang = props.lang;
    let s = &props.socket;
    let fd = match s.fd {
        Some(fd) => format!("fd {fd}"),
        None => i18n::NO_FD.get(lang).to_string(),
    };
    match &s.detail {
        SocketDetail::Fresh { port } => html! {
            <div class="socket fresh">
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
                <div class="socket listening" aria-label={format!("{} {}:{}", i18n::LISTENING_SOCKET.get(lang), local.ip, local.port)}>
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
                <div class="socket stream">
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
                    <div class="seqvars" title={i18n::SEQVARS_HELP.get(lang)}>
                        { format!("SND.UNA {} · SND.NXT {} · RCV.NXT {} · {} {} · {} {}",
                            v.snd_una_rel, v.snd_nxt_rel, v.rcv_nxt_rel,
                            i18n::IN_FLIGHT.get(lang), v.in_flight,
                            i18n::PEER_WINDOW.get(lang), v.peer_window) }
                    </div>
                </div>
            }
        }
    }
}
