//! What the learner can do inside the simulation: add a client, type and
//! send a message, call recv now, close, remove a client (end its process),
//! change buffer sizes. Each becomes a core [`sim::Action`]; the core decides what it
//! means (and says so in the event log when it cannot apply).

use crate::sim::{self, view::HostView};
use crate::web::i18n::{self, Lang};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LearnerProps {
    pub lang: Lang,
    pub hosts: Vec<HostView>,
    /// The most clients on the stage at once (the world's limit).
    pub max_clients: usize,
    pub on_action: Callback<sim::Action>,
}

#[function_component(LearnerPanel)]
pub fn learner_panel(props: &LearnerProps) -> Html {
    let lang = props.lang;
    let clients: Vec<&HostView> = props.hosts.iter().skip(1).filter(|h| !h.removed).collect();
    let chosen = use_state(|| 1u8);
    let text = use_node_ref();
    let send_cap = use_node_ref();
    let recv_cap = use_node_ref();
    let target = use_state(|| 0u8);
    let client = if clients.iter().any(|h| h.id.0 == *chosen) {
        *chosen
    } else {
        clients.last().map(|h| h.id.0).unwrap_or(1)
    };

    let act = |a: sim::Action| {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(a.clone()))
    };
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = sel.value().parse() {
                chosen.set(n);
            }
        })
    };
    let on_send = {
        let cb = props.on_action.clone();
        let text = text.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = text.cast::<HtmlInputElement>() {
                let msg = input.value();
                if !msg.is_empty() {
                    cb.emit(sim::Action::Send { client, text: msg });
                    input.set_value("");
                }
            }
        })
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = sel.value().parse() {
                target.set(n);
            }
        })
    };
    let on_buffers = {
        let cb = props.on_action.clone();
        let (send_cap, recv_cap, target) = (send_cap.clone(), recv_cap.clone(), *target);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let read = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .and_then(|i| i.value().parse::<u32>().ok())
            };
            if let (Some(s), Some(r)) = (read(&send_cap), read(&recv_cap)) {
                cb.emit(sim::Action::SetBuffers {
                    target,
                    send_capacity: s.clamp(1, 65535),
                    recv_capacity: r.clamp(1, 65535),
                });
            }
        })
    };
    let client_options = |selected: u8| {
        clients
            .iter()
            .map(|h| html! { <option value={h.id.0.to_string()} selected={h.id.0 == selected}>{ &h.name }</option> })
            .collect::<Html>()
    };

    html! {
        <section class="learner" aria-label={i18n::YOUR_TURN.get(lang)}>
            <h3>{ i18n::YOUR_TURN.get(lang) }</h3>
            <div class="row">
                <button class="add-client" onclick={act(sim::Action::AddClient)} disabled={clients.len() >= props.max_clients}>
                    { i18n::ADD_CLIENT.get(lang) }
                </button>
            </div>
            if !clients.is_empty() {
                <form class="row send-form" onsubmit={on_send}>
                    <select aria-label={i18n::CLIENT.get(lang)} onchange={on_choose}>{ client_options(client) }</select>
                    <input ref={text} type="text" maxlength="200" class="message"
                           placeholder={i18n::TYPE_MESSAGE.get(lang)} aria-label={i18n::TYPE_MESSAGE.get(lang)} />
                    <button type="submit">{ "send()" }</button>
                </form>
                <div class="row">
                    <button onclick={act(sim::Action::RecvNow { client })}>{ "recv(1024)" }</button>
                    <button onclick={act(sim::Action::Close { client })}>{ "close()" }</button>
                    <span class="hint">{ i18n::INTERACTIVE_HINT.get(lang) }</span>
                </div>
                <div class="row">
                    <button class="remove-client" onclick={act(sim::Action::RemoveClient { client })}
                            title={i18n::REMOVE_CLIENT_HELP.get(lang)}>{ i18n::REMOVE_CLIENT.get(lang) }</button>
                </div>
            }
            <form class="row buffers-form" onsubmit={on_buffers}>
                <select aria-label={i18n::HOST.get(lang)} onchange={on_target}>
                    <option value="0" selected={*target == 0}>{ i18n::SERVER.get(lang) }</option>
                    { client_options(*target) }
                </select>
                <label>{ "SO_SNDBUF " }<input ref={send_cap} type="number" min="1" max="65535" value="64" /></label>
                <label>{ "SO_RCVBUF " }<input ref={recv_cap} type="number" min="1" max="65535" value="64" /></label>
                <button type="submit">{ i18n::SET_BUFFERS.get(lang) }</button>
            </form>
        </section>
    }
}
