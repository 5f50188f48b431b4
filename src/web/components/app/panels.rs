//! What the screen draws in the task after the first: the consoles, the
//! graphs and the network panel beside the stage, and the event log below
//! it. They are out of the root component's function so that the code that
//! builds them is compiled (on its first call) after the first paint.

use super::super::console::Console;
use super::super::event_list::{visible, EventList};
use super::super::graph::CongestionGraphs;
use super::super::network::NetworkPanel;
use super::super::stage::StageData;
use super::callbacks::Callbacks;
use crate::sim::http_view::HttpExchange;
use crate::sim::view::ConnectionGraph;
use crate::sim::{self, Run};
use crate::web::download;
use crate::web::i18n;
use crate::web::state::State;
use yew::prelude::*;

/// Every host's terminal, in one pass over the log: the server's lines, and
/// the clients' lines each after its host's name.
fn consoles(run: &Run, data: &StageData) -> (Vec<String>, Vec<String>) {
    let mut consoles: Vec<Vec<String>> = vec![vec![]; data.hosts.len()];
    for e in run.log() {
        if let (sim::EventKind::Console { line, .. }, Some(h)) = (&e.kind, e.host) {
            if let Some(i) = data.hosts.iter().position(|x| x.id == h) {
                consoles[i].push(if i == 0 {
                    line.clone()
                } else {
                    format!("{}> {line}", data.hosts[i].name)
                });
            }
        }
    }
    let mut consoles = consoles.into_iter();
    let server = consoles.next().unwrap_or_default();
    (server, consoles.flatten().collect())
}

/// What the side column holds, besides the run and the state.
pub(super) struct Side {
    pub(super) graphs: Option<Vec<ConnectionGraph>>,
    pub(super) exchanges: Option<Vec<HttpExchange>>,
    pub(super) learner: Option<Html>,
}

/// The side column: the terminals, the congestion graphs when they matter,
/// the `http` lesson's network panel, and the learner's controls when they
/// are not above the stage.
#[inline(never)]
pub(super) fn side_col(
    state: &State,
    cbs: &Callbacks,
    run: &Run,
    data: &StageData,
    side: Side,
) -> Html {
    let lang = state.lang;
    let (server_console, client_console) = consoles(run, data);
    let now = run.world().now();
    html! {
        <div class="side-col">
            <Console {lang} title={i18n::SERVER_CONSOLE.get(lang)} lines={server_console} />
            <Console {lang} title={i18n::CLIENT_CONSOLE.get(lang)} lines={client_console} />
            if let Some(graphs) = side.graphs {
                <CongestionGraphs {lang} {graphs} hosts={data.hosts.clone()} {now} />
            }
            if let Some(exchanges) = side.exchanges {
                <NetworkPanel {lang} {exchanges} mark={state.mark} on_mark={cbs.on_mark.clone()}
                              selected={state.request} tab={state.tab}
                              on_select={cbs.on_select_request.clone()} on_tab={cbs.on_tab.clone()} />
            }
            { for side.learner }
        </div>
    }
}

/// The event log, with its downloads: the capture as a pcap, the log as JSON.
#[inline(never)]
pub(super) fn log_section(state: &UseReducerHandle<State>, cbs: &Callbacks, run: &Run) -> Html {
    let lang = state.lang;
    let (listed, more) = visible(run.log(), state.hidden, state.event_limit);
    let download_pcap = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let run = state.run.borrow();
            let bytes = sim::net::pcap::write_pcap(run.log());
            download::save(
                &format!("sockscope-{}.pcap", state.lesson.slug()),
                "application/vnd.tcpdump.pcap",
                &bytes,
            );
        })
    };
    let download_log = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let run = state.run.borrow();
            let json = serde_json::to_string_pretty(run.log()).unwrap_or_default();
            download::save(
                &format!("sockscope-{}-events.json", state.lesson.slug()),
                "application/json",
                json.as_bytes(),
            );
        })
    };
    html! {
        <section class="log">
            <div class="log-tools">
                <button onclick={download_pcap}>{ i18n::DOWNLOAD_PCAP.get(lang) }</button>
                <button onclick={download_log}>{ i18n::DOWNLOAD_LOG.get(lang) }</button>
            </div>
            <EventList {lang} events={listed} total={run.log().len()} {more} on_more={cbs.on_more_events.clone()} hidden={state.hidden}
                       selected={state.selected_event} on_toggle={cbs.on_toggle.clone()} on_jump={cbs.on_jump.clone()} />
        </section>
    }
}
