//! A DevTools-style Network panel: every request the simulated browser
//! made, and for the selected one its headers, response and timing, all
//! read from the simulation. Clicking a header highlights the bytes that
//! carried it, in the buffers and on the wire.

use crate::sim::http_view::{ExchangeState, HeaderField, HttpExchange};
use crate::sim::time::decimal;
use crate::sim::{Duration, SeqNumber};
use crate::web::i18n::{self, Lang};
pub use crate::web::state::ByteMark;
use yew::prelude::*;

use crate::web::state::NetTab as Tab;

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    pub lang: Lang,
    pub exchanges: Vec<HttpExchange>,
    pub mark: Option<ByteMark>,
    pub on_mark: Callback<Option<ByteMark>>,
    /// The selected request (its id; `None`: the newest) and tab.
    #[prop_or_default]
    pub selected: Option<usize>,
    #[prop_or_default]
    pub tab: Tab,
    #[prop_or_default]
    pub on_select: Callback<Option<usize>>,
    #[prop_or_default]
    pub on_tab: Callback<Tab>,
}

fn ms(d: Option<Duration>) -> String {
    match d {
        Some(d) => {
            let us = d.total_micros();
            format!("{}.{:03} ms", us / 1000, us % 1000)
        }
        None => "—".into(),
    }
}

fn kind_of(x: &HttpExchange) -> &'static str {
    match x.response.as_ref().and_then(|r| r.content_type.as_deref()) {
        Some(t) if t.starts_with("text/html") => "document",
        Some(t) if t.starts_with("text/css") => "stylesheet",
        Some(t) if t.contains("javascript") => "script",
        Some(t) if t.starts_with("image/") => "img",
        Some(_) => "other",
        None => "",
    }
}

#[function_component(NetworkPanel)]
pub fn network_panel(props: &NetworkProps) -> Html {
    let lang = props.lang;
    let tab = props.tab;
    let raw = use_state(|| false);
    let current = props
        .selected
        .and_then(|id| props.exchanges.iter().find(|x| x.id == id))
        .or_else(|| props.exchanges.last());

    let rows = props.exchanges.iter().map(|x| {
        let id = x.id;
        let on_click = props.on_select.reform(move |_: MouseEvent| Some(id));
        let status = match (x.state, x.status()) {
            (_, Some(code)) => code.to_string(),
            (ExchangeState::Pending, None) => i18n::PENDING.get(lang).to_string(),
            (_, None) => i18n::FAILED.get(lang).to_string(),
        };
        let size = x.response.as_ref().map(|r| format!("{} B", r.total_len())).unwrap_or_default();
        let is_current = current.is_some_and(|c| c.id == id);
        html! {
            <tr key={id} class={classes!(is_current.then_some("selected"), x.status().is_some_and(|s| s >= 400).then_some("error"))}
                onclick={on_click}>
                <td class="name"><button class="link">{ x.name() }</button></td>
                <td>{ status }</td>
                <td>{ kind_of(x) }</td>
                <td class="num">{ size }</td>
                <td class="num">{ ms(x.timing.total()) }</td>
            </tr>
        }
    });

    let tabs = [
        (Tab::Headers, i18n::TAB_HEADERS),
        (Tab::Response, i18n::TAB_RESPONSE),
        (Tab::Timing, i18n::TAB_TIMING),
    ];
    let tab_buttons = tabs.iter().map(|(t, label)| {
        let on = tab == *t;
        let set = {
            let t = *t;
            props.on_tab.reform(move |_: MouseEvent| t)
        };
        html! { <button role="tab" aria-selected={on.to_string()} class={classes!("tab", on.then_some("on"))} onclick={set}>{ label.get(lang) }</button> }
    });

    let detail = current.map(|x| match tab {
        Tab::Headers => headers_tab(lang, x, *raw, raw.clone(), props.mark, &props.on_mark),
        Tab::Response => {
            let body = x
                .response
                .as_ref()
                .map(|r| String::from_utf8_lossy(&r.body).into_owned())
                .unwrap_or_default();
            html! { <pre class="response-body">{ body }</pre> }
        }
        Tab::Timing => timing_tab(lang, x),
    });

    html! {
        <section class="network" aria-label={i18n::NETWORK.get(lang)}>
            <h3>{ i18n::NETWORK.get(lang) }</h3>
            <table class="requests">
                <thead><tr>
                    <th>{ i18n::COL_NAME.get(lang) }</th><th>{ i18n::COL_STATUS.get(lang) }</th>
                    <th>{ i18n::COL_TYPE.get(lang) }</th><th>{ i18n::COL_SIZE.get(lang) }</th><th>{ i18n::COL_TIME.get(lang) }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if props.exchanges.is_empty() { <p class="placeholder">{ i18n::NO_REQUESTS.get(lang) }</p> }
            if current.is_some() {
                <div class="tabs" role="tablist">{ for tab_buttons }</div>
                <div class="tab-body">{ for detail }</div>
            }
        </section>
    }
}

fn header_rows(
    fields: &[HeaderField],
    to_server: bool,
    seqs: impl Fn(&std::ops::Range<usize>) -> (SeqNumber, SeqNumber),
    mark: Option<ByteMark>,
    on_mark: &Callback<Option<ByteMark>>,
) -> Html {
    fields
        .iter()
        .map(|h| {
            let (start, end) = seqs(&h.span);
            let this = ByteMark {
                to_server,
                start,
                end,
            };
            let on = mark == Some(this);
            let click = on_mark.reform(move |_| if on { None } else { Some(this) });
            html! {
                <tr class={classes!("header", on.then_some("marked"))} onclick={click}>
                    <th scope="row"><button class="link">{ &h.name }</button></th>
                    <td>{ &h.value }</td>
                </tr>
            }
        })
        .collect()
}

fn headers_tab(
    lang: Lang,
    x: &HttpExchange,
    raw: bool,
    set_raw: UseStateHandle<bool>,
    mark: Option<ByteMark>,
    on_mark: &Callback<Option<ByteMark>>,
) -> Html {
    let toggle = Callback::from(move |_| set_raw.set(!raw));
    let status = x
        .response
        .as_ref()
        .map(|r| format!("{} {}", r.status, r.reason))
        .unwrap_or_else(|| i18n::PENDING.get(lang).to_string());
    let general = html! {
        <table class="kv">
            <tr><th scope="row">{ i18n::REQUEST_URL.get(lang) }</th><td>{ &x.url }</td></tr>
            <tr><th scope="row">{ i18n::REQUEST_METHOD.get(lang) }</th><td>{ &x.method }</td></tr>
            <tr><th scope="row">{ i18n::STATUS_CODE.get(lang) }</th><td class="status">{ status }</td></tr>
            <tr><th scope="row">{ i18n::REMOTE_ADDRESS.get(lang) }</th><td>{ format!("{}:{}", x.remote.ip, x.remote.port) }</td></tr>
        </table>
    };
    let response_headers = x.response.as_ref().map(|r| {
        if raw {
            html! { <pre class="raw">{ String::from_utf8_lossy(&r.head).into_owned() }</pre> }
        } else {
            html! { <table class="kv headers">{ header_rows(&r.headers, false, |s| x.response_seqs(s), mark, on_mark) }</table> }
        }
    });
    let request_headers = if raw {
        let head_end = x
            .request
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|p| p + 4)
            .unwrap_or(x.request.len());
        html! { <pre class="raw">{ String::from_utf8_lossy(&x.request[..head_end]).into_owned() }</pre> }
    } else {
        html! { <table class="kv headers">{ header_rows(&x.request_headers, true, |s| x.request_seqs(s), mark, on_mark) }</table> }
    };
    html! {
        <div class="headers-tab">
            <label class="raw-toggle"><input type="checkbox" checked={raw} onchange={toggle} />{ i18n::RAW.get(lang) }</label>
            <h4>{ i18n::GENERAL.get(lang) }</h4>
            { general }
            <h4>{ i18n::RESPONSE_HEADERS.get(lang) }</h4>
            { for response_headers }
            <h4>{ i18n::REQUEST_HEADERS.get(lang) }</h4>
            { request_headers }
            <p class="hint">{ i18n::HEADER_CLICK_HINT.get(lang) }</p>
        </div>
    }
}

fn timing_tab(lang: Lang, x: &HttpExchange) -> Html {
    let t = &x.timing;
    let total = t.total().map(|d| d.total_micros()).unwrap_or(0).max(1);
    // Tenths of a percent of the total, as text.
    let permille = |us: u64| decimal(us.saturating_mul(1000) / total, 1, 1);
    let start = t.start();
    let phases = [
        (i18n::T_DNS, t.dns_start, t.dns()),
        (i18n::T_CONNECT, t.connect_start, t.connect()),
        (i18n::T_SENT, Some(t.request_start), t.request_sent()),
        (i18n::T_WAITING, t.request_end, t.waiting()),
        (i18n::T_DOWNLOAD, t.first_byte, t.download()),
    ];
    let rows = phases.iter().map(|(name, from, len)| {
        let left = permille(from.map(|f| (f - start).total_micros()).unwrap_or(0));
        // A phase too short to see still gets a sliver (0.5%).
        let width = permille(len.map(|d| d.total_micros()).unwrap_or(0).max(total / 200));
        html! {
            <tr>
                <th scope="row">{ name.get(lang) }</th>
                <td class="bar-cell">
                    if len.is_some() { <span class="bar" style={format!("margin-left:{left}%;width:{width}%")}></span> }
                </td>
                <td class="num">{ ms(*len) }</td>
            </tr>
        }
    });
    html! {
        <table class="timing">
            { for rows }
            <tr class="total"><th scope="row">{ i18n::T_TOTAL.get(lang) }</th><td></td><td class="num">{ ms(t.total()) }</td></tr>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_overlaps_the_bytes_it_shares_with_a_buffer() {
        let m = ByteMark {
            to_server: true,
            start: SeqNumber(100),
            end: SeqNumber(110),
        };
        assert_eq!(m.overlap(SeqNumber(95), 10), Some((5, 10)));
        assert_eq!(m.overlap(SeqNumber(105), 20), Some((0, 5)));
        assert_eq!(m.overlap(SeqNumber(110), 5), None);
        assert_eq!(m.overlap(SeqNumber(80), 20), None);
        // Across the wrap of the 32-bit sequence space.
        let w = ByteMark {
            to_server: false,
            start: SeqNumber(u32::MAX - 1),
            end: SeqNumber(3),
        };
        assert_eq!(w.overlap(SeqNumber(u32::MAX - 3), 8), Some((2, 7)));
    }
}
