//! The stage: the server host on top (its process, thread lanes and
//! listening socket), then one row per client: the server's socket for that
//! client, the wire with its segments, and the client host with its socket.

use super::network::ByteMark;
use super::segment_detail::SegmentDetail;
use super::socket::SocketCard;
use super::threads::ThreadLanes;
use super::wire::Wire;
use crate::echo::TextEncoding;
use crate::sim::net::wire::InFlight;
use crate::sim::view::{HostView, SocketDetail, SocketView, ThreadView};
use crate::sim::{HostId, Instant, World};
use crate::web::i18n::{self, Lang};
use crate::web::state::ByteDisplay;
use yew::prelude::*;

/// Everything the stage draws, copied out of the world once per render.
#[derive(Clone, PartialEq)]
pub struct StageData {
    pub hosts: Vec<HostView>,
    pub threads: Vec<ThreadView>,
    pub sockets: Vec<Vec<SocketView>>,
    pub in_flight: Vec<InFlight>,
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
        }
    }

    /// Each thread with its colour: its index among all threads, so a lane,
    /// its code cursor and nothing else share a colour.
    pub fn coloured_threads(&self) -> Vec<(usize, ThreadView)> {
        self.threads.iter().cloned().enumerate().collect()
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
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = props.lang;
    let data = &props.data;
    let Some(server) = data.hosts.first() else {
        return html! { <section class="stage"><p class="stage-empty">{ i18n::STAGE_EMPTY.get(lang) }</p></section> };
    };
    let server_sockets = data.sockets.first().cloned().unwrap_or_default();
    let threads = data.coloured_threads();
    let lanes_of = |host: HostId| {
        threads
            .iter()
            .filter(|(_, t)| t.host == host)
            .cloned()
            .collect::<Vec<_>>()
    };
    let card = |s: &SocketView| {
        html! { <SocketCard {lang} socket={s.clone()} display={props.display} encoding={props.encoding} mark={props.mark} /> }
    };
    let remote_ip = |s: &SocketView| match &s.detail {
        SocketDetail::Stream(v) => Some(v.remote.ip),
        _ => None,
    };

    // Sockets are listed in the order of `hosts` (a host's id is not its position).
    let rows = data.hosts.iter().enumerate().skip(1).filter(|(_, h)| !h.gone).map(|(position, client)| {
        let mine: Vec<&SocketView> = server_sockets.iter().filter(|s| remote_ip(s) == Some(client.ip)).collect();
        let client_sockets = data.sockets.get(position).cloned().unwrap_or_default();
        let segments: Vec<InFlight> =
            data.in_flight.iter().filter(|f| f.from == client.id || f.to == client.id).cloned().collect();
        html! {
            <div class="conn-row" key={client.name.clone()}>
                <div class="conn-server">
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
                        if !client.process_alive { <span class="badge">{ i18n::PROCESS_ENDED.get(lang) }</span> }
                        if client.removed { <span class="badge warn">{ i18n::REMOVED.get(lang) }</span> }
                    </div>
                    <ThreadLanes {lang} threads={lanes_of(client.id)} />
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
    html! {
        <section class="stage" aria-label={i18n::STAGE_LABEL.get(lang)}>
            <div class={classes!("host", "server", (!server.process_alive).then_some("ended"))}
                 aria-label={format!("{} {}", server.name, server.ip)}>
                <div class="host-head">
                    <strong>{ i18n::SERVER.get(lang) }</strong>
                    <span class="ip">{ server.ip.to_string() }</span>
                    <span class="process">{ i18n::PROCESS.get(lang) }{ " python3 server.py" }</span>
                    if !server.process_alive { <span class="badge">{ i18n::PROCESS_ENDED.get(lang) }</span> }
                </div>
                <div class="server-body">
                    <ThreadLanes {lang} threads={lanes_of(HostId::SERVER)} />
                    <div class="listening">{ for listening.map(card) }</div>
                </div>
            </div>
            <div class="conn-head" aria-hidden="true">
                <span>{ i18n::SERVER_SIDE.get(lang) }</span>
                <span>{ i18n::WIRE.get(lang) }</span>
                <span>{ i18n::CLIENTS.get(lang) }</span>
            </div>
            <div class="conn-rows">
                { for rows }
                if !data.hosts.iter().skip(1).any(|h| !h.gone) { <p class="placeholder">{ i18n::NO_CLIENTS.get(lang) }</p> }
            </div>
            if let Some(segment) = selected {
                <SegmentDetail {lang} {segment} encoding={props.encoding}
                    on_close={props.on_select_segment.reform(|_| None)} />
            }
        </section>
    }
}
