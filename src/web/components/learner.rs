//! What the learner can do inside the simulation: add a client, type and
//! send a message, call recv now, close, remove a client (end its process),
//! change buffer sizes. Each becomes a core [`sim::Action`]; the core
//! decides what it means. Only clients that read what the learner types
//! (interactive ones) are offered; a control that cannot act says why,
//! and what the last action did is shown right here.

use super::note::ActionNote;
use crate::sim::{
    self,
    view::{HostView, NetworkSettings},
};
use crate::web::i18n::{self, Lang};
use crate::web::state::Note;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The longest message the box takes.
pub const MAX_MESSAGE: usize = 200;

#[derive(Properties, PartialEq)]
pub struct LearnerProps {
    pub lang: Lang,
    pub hosts: Vec<HostView>,
    /// The most clients on the stage at once (the world's limit).
    pub max_clients: usize,
    /// The network's loss rate and delay now.
    pub network: NetworkSettings,
    pub on_action: Callback<sim::Action>,
    /// What the last action did.
    #[prop_or_default]
    pub note: Option<Note>,
    #[prop_or_default]
    pub on_dismiss: Callback<()>,
}

/// A buffer size as typed: a whole number of bytes the kernel accepts.
pub fn parse_size(text: &str) -> Option<u32> {
    let n: u32 = text.trim().parse().ok()?;
    (1..=65535).contains(&n).then_some(n)
}

/// A loss rate as typed: a whole percentage.
pub fn parse_loss(text: &str) -> Option<u8> {
    let n: u8 = text.trim().parse().ok()?;
    (n <= 100).then_some(n)
}

/// A one-way delay as typed: whole milliseconds, 1 to 10,000.
pub fn parse_delay(text: &str) -> Option<u32> {
    let n: u32 = text.trim().parse().ok()?;
    (1..=10_000).contains(&n).then_some(n)
}

#[function_component(LearnerPanel)]
pub fn learner_panel(props: &LearnerProps) -> Html {
    let lang = props.lang;
    let present: Vec<&HostView> = props.hosts.iter().skip(1).filter(|h| !h.removed).collect();
    let clients: Vec<&HostView> = present.iter().copied().filter(|h| h.interactive).collect();
    let chosen = use_state(|| 1u8);
    let text = use_node_ref();
    let typed = use_state(|| 0usize);
    let send_cap = use_node_ref();
    let recv_cap = use_node_ref();
    let target = use_state(|| 0u8);
    let size_error = use_state(|| None::<String>);
    let loss_input = use_node_ref();
    let delay_input = use_node_ref();
    let network_error = use_state(|| None::<String>);
    let client = if clients.iter().any(|h| h.id.0 == *chosen) {
        *chosen
    } else {
        clients.last().map(|h| h.id.0).unwrap_or(1)
    };
    let chosen_host = clients.iter().find(|h| h.id.0 == client);
    let alive = chosen_host.is_some_and(|h| h.process_alive);

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
    let on_type = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            typed.set(input.value().chars().count());
        })
    };
    let on_send = {
        let cb = props.on_action.clone();
        let text = text.clone();
        let typed = typed.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = text.cast::<HtmlInputElement>() {
                let msg = input.value();
                if !msg.is_empty() {
                    cb.emit(sim::Action::Send { client, text: msg });
                    input.set_value("");
                    typed.set(0);
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
        let size_error = size_error.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let read = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let (s, r) = (read(&send_cap), read(&recv_cap));
            match (parse_size(&s), parse_size(&r)) {
                (Some(s), Some(r)) => {
                    size_error.set(None);
                    cb.emit(sim::Action::SetBuffers {
                        target,
                        send_capacity: s,
                        recv_capacity: r,
                    });
                }
                (a, _) => {
                    let (name, bad) = if a.is_none() {
                        ("SO_SNDBUF", s)
                    } else {
                        ("SO_RCVBUF", r)
                    };
                    size_error.set(Some(i18n::buffer_size_error(lang, name, bad.trim())));
                }
            }
        })
    };
    let on_network = {
        let cb = props.on_action.clone();
        let (loss_input, delay_input) = (loss_input.clone(), delay_input.clone());
        let network_error = network_error.clone();
        let now = props.network;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let read = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let (l, d) = (read(&loss_input), read(&delay_input));
            match (parse_loss(&l), parse_delay(&d)) {
                (Some(percent), Some(ms)) => {
                    network_error.set(None);
                    // Only what changed becomes an action.
                    if percent != now.loss_percent {
                        cb.emit(sim::Action::SetLoss { percent });
                    }
                    if u64::from(ms) != now.delay_ms {
                        cb.emit(sim::Action::SetDelay { ms });
                    }
                }
                (None, _) => network_error.set(Some(i18n::loss_rate_error(lang, &l))),
                (_, None) => network_error.set(Some(i18n::delay_error(lang, &d))),
            }
        })
    };
    let client_options = |list: &[&HostView], selected: u8| {
        list.iter()
            .map(|h| html! { <option value={h.id.0.to_string()} selected={h.id.0 == selected}>{ &h.name }</option> })
            .collect::<Html>()
    };
    let full = present.len() >= props.max_clients;
    let target_host = props.hosts.iter().find(|h| h.id.0 == *target);
    let (snd, rcv) = target_host
        .map(|h| (h.send_capacity, h.recv_capacity))
        .unwrap_or((2048, 2048));
    let scripted = present.iter().filter(|h| !h.interactive).count();
    let why_not = (!alive).then(|| {
        chosen_host
            .map(|h| i18n::client_exited(lang, &h.name))
            .unwrap_or_default()
    });

    html! {
        <section class="learner" aria-label={i18n::YOUR_TURN.get(lang)}>
            <h3>{ i18n::YOUR_TURN.get(lang) }</h3>
            <div class="row">
                <button class="add-client" onclick={act(sim::Action::AddClient)} disabled={full}>
                    { i18n::ADD_CLIENT.get(lang) }
                </button>
                if full { <span class="hint why">{ i18n::max_clients(lang, props.max_clients) }</span> }
                if clients.is_empty() && scripted > 0 { <span class="hint">{ i18n::SCRIPTED_HINT.get(lang) }</span> }
            </div>
            if !clients.is_empty() {
                <form class="row send-form" onsubmit={on_send}>
                    <select aria-label={i18n::CLIENT.get(lang)} onchange={on_choose}>{ client_options(&clients, client) }</select>
                    <input ref={text} type="text" maxlength={MAX_MESSAGE.to_string()} class="message" oninput={on_type}
                           placeholder={i18n::TYPE_MESSAGE.get(lang)} aria-label={i18n::TYPE_MESSAGE.get(lang)} disabled={!alive} />
                    <span class={classes!("count", (*typed >= MAX_MESSAGE).then_some("at-limit"))}
                          title={i18n::message_limit(lang, MAX_MESSAGE)}>{ format!("{}/{MAX_MESSAGE}", *typed) }</span>
                    <button type="submit" disabled={!alive}>{ "send()" }</button>
                    <button type="button" class="recv-now" onclick={act(sim::Action::RecvNow { client })} disabled={!alive}>{ "recv(1024)" }</button>
                    <button type="button" class="close-client" onclick={act(sim::Action::Close { client })} disabled={!alive}>{ "close()" }</button>
                    <button type="button" class="remove-client" onclick={act(sim::Action::RemoveClient { client })}
                            title={i18n::REMOVE_CLIENT_HELP.get(lang)}>{ i18n::REMOVE_CLIENT.get(lang) }</button>
                </form>
                if *typed >= MAX_MESSAGE { <p class="hint why">{ i18n::message_limit(lang, MAX_MESSAGE) }</p> }
                if let Some(why) = why_not { <p class="hint why">{ why }</p> }
            }
            if let Some(note) = props.note.clone() {
                if !matches!(note.action, sim::Action::Navigate { .. }) {
                    <ActionNote {lang} {note} on_dismiss={props.on_dismiss.clone()} />
                }
            }
            <details class="buffers-box">
                <summary>{ i18n::BUFFER_SIZES.get(lang) }</summary>
                <form class="row buffers-form" onsubmit={on_buffers} novalidate=true>
                    <select aria-label={i18n::HOST.get(lang)} onchange={on_target}>
                        <option value="0" selected={*target == 0}>{ i18n::SERVER.get(lang) }</option>
                        { client_options(&present, *target) }
                    </select>
                    <label>{ "SO_SNDBUF " }<input key={format!("s{}-{snd}", *target)} ref={send_cap} class="sndbuf" type="number" min="1" max="65535" value={snd.to_string()} /></label>
                    <label>{ "SO_RCVBUF " }<input key={format!("r{}-{rcv}", *target)} ref={recv_cap} class="rcvbuf" type="number" min="1" max="65535" value={rcv.to_string()} /></label>
                    <button type="submit">{ i18n::SET_BUFFERS.get(lang) }</button>
                </form>
                if let Some(e) = (*size_error).clone() { <p class="hint why size-error" role="alert">{ e }</p> }
            </details>
            <details class="network-box">
                <summary>{ i18n::NETWORK_BOX.get(lang) }</summary>
                <form class="row network-form" onsubmit={on_network} novalidate=true>
                    <label>{ i18n::LOSS_RATE.get(lang) }{ " " }<input key={format!("l{}", props.network.loss_percent)} ref={loss_input} class="loss-rate" type="number" min="0" max="100" value={props.network.loss_percent.to_string()} /></label>
                    <label>{ i18n::DELAY_MS.get(lang) }{ " " }<input key={format!("d{}", props.network.delay_ms)} ref={delay_input} class="delay" type="number" min="1" max="10000" value={props.network.delay_ms.to_string()} /></label>
                    <button type="submit">{ i18n::SET_NETWORK.get(lang) }</button>
                </form>
                <p class="hint">{ i18n::NETWORK_HINT.get(lang) }</p>
                if let Some(e) = (*network_error).clone() { <p class="hint why network-error" role="alert">{ e }</p> }
            </details>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_delay, parse_loss, parse_size};

    #[test]
    fn a_loss_rate_is_a_whole_percentage_and_a_delay_whole_milliseconds() {
        assert_eq!(parse_loss(" 10 "), Some(10));
        assert_eq!(parse_loss("0"), Some(0));
        assert_eq!(parse_loss("100"), Some(100));
        for bad in ["101", "-1", "", "2.5", "x"] {
            assert_eq!(parse_loss(bad), None, "{bad}");
        }
        assert_eq!(parse_delay("2"), Some(2));
        assert_eq!(parse_delay("10000"), Some(10_000));
        for bad in ["0", "10001", "", "1.5", "-3"] {
            assert_eq!(parse_delay(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_buffer_size_is_a_whole_number_from_1_to_65535() {
        assert_eq!(parse_size("64"), Some(64));
        assert_eq!(parse_size(" 2048 "), Some(2048));
        for bad in ["0", "-5", "", "99999999", "1.5", "abc", "65536"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }
}
