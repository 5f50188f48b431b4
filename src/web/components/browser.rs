//! The mock browser of the `http` lesson: an address bar, the URL split into
//! its parts, and the page the simulated browser received, rendered in a
//! sandboxed frame (no scripts, no network: only the bytes it was sent).

use super::note::ActionNote;
use super::url_parts::UrlParts;
use crate::sim::http_view::{ExchangeState, HttpExchange};
use crate::sim::{Event, EventKind};
use crate::web::i18n::{self, Lang};
use crate::web::state::Note;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BrowserProps {
    pub lang: Lang,
    pub exchanges: Vec<HttpExchange>,
    pub on_navigate: Callback<String>,
    /// What the address bar shows (see [`address`]).
    #[prop_or_default]
    pub address: AttrValue,
    /// What the last address typed did.
    #[prop_or_default]
    pub note: Option<Note>,
    #[prop_or_default]
    pub on_dismiss: Callback<()>,
}

/// What the address bar shows, as a browser's does: the address the
/// learner typed last (the lesson's own visits all come before), or else the
/// address of the page shown, or of the first request.
pub fn address(log: &[Event], exchanges: &[HttpExchange]) -> String {
    let typed = log.iter().rev().find_map(|e| match &e.kind {
        EventKind::Action {
            action: crate::sim::Action::Navigate { url },
        } => Some(url.clone()),
        _ => None,
    });
    let page = rendered_page(exchanges).map(|(_, url, _)| url);
    typed
        .or(page)
        .or_else(|| exchanges.first().map(|x| x.url.clone()))
        .unwrap_or_default()
}

/// The page to show: the newest complete HTML response, with the
/// stylesheets the browser fetched over the same site put inline (the frame
/// has no network of its own).
pub fn rendered_page(exchanges: &[HttpExchange]) -> Option<(usize, String, String)> {
    let page = exchanges.iter().rev().find(|x| {
        x.state == ExchangeState::Complete
            && x.response
                .as_ref()
                .and_then(|r| r.content_type.as_deref())
                .is_some_and(|t| t.starts_with("text/html"))
    })?;
    let body = String::from_utf8_lossy(&page.response.as_ref()?.body).into_owned();
    let css: String = exchanges
        .iter()
        .filter(|x| x.state == ExchangeState::Complete && x.status() == Some(200))
        .filter_map(|x| x.response.as_ref())
        .filter(|r| {
            r.content_type
                .as_deref()
                .is_some_and(|t| t.starts_with("text/css"))
        })
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    // The frame may not fetch anything: its page is only the bytes the
    // simulated browser received (links and stylesheets stay unfetched).
    let csp = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#;
    let doc = format!(
        "{csp}<style>{css}</style>{}",
        without_stylesheet_links(&body)
    );
    Some((page.id, page.url.clone(), doc))
}

/// The page without its `<link rel="stylesheet">` tags: the stylesheets the
/// simulated browser fetched are put inline instead.
fn without_stylesheet_links(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(start) = lower[at..].find("<link").map(|i| at + i) {
        let Some(end) = lower[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        out.push_str(&html[at..start]);
        if !lower[start..end].contains("stylesheet") {
            out.push_str(&html[start..end]);
        }
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::{rendered_page, without_stylesheet_links};
    use crate::sim::{LessonId, Run};

    #[test]
    fn the_page_shown_is_the_newest_html_response_with_the_stylesheet_inline() {
        let mut run = Run::new(LessonId::Http, LessonId::Http.info().default_seed);
        run.play(100_000);
        let exchanges = run.world().http_exchanges();
        let (id, url, doc) = rendered_page(exchanges).expect("a page");
        assert_eq!(id, exchanges.len() - 1);
        assert!(url.ends_with("/missing.html"));
        assert!(doc.contains("404"));
        assert!(doc.contains("Content-Security-Policy"));
        assert!(!doc.to_ascii_lowercase().contains("rel=\"stylesheet\""));
        assert!(rendered_page(&exchanges[..1]).is_some_and(|(id, _, _)| id == 0));
        assert!(rendered_page(&[]).is_none());
    }

    #[test]
    fn stylesheet_links_are_dropped_and_other_links_kept() {
        let html = r#"<head><LINK rel="stylesheet" href="style.css"><link rel="icon" href="x.ico"></head>"#;
        assert_eq!(
            without_stylesheet_links(html),
            r#"<head><link rel="icon" href="x.ico"></head>"#
        );
        assert_eq!(
            without_stylesheet_links("<p>no links</p>"),
            "<p>no links</p>"
        );
    }
}

#[function_component(BrowserPanel)]
pub fn browser_panel(props: &BrowserProps) -> Html {
    let lang = props.lang;
    let typed = use_state(|| None::<String>);
    let input = use_node_ref();
    let shown = typed
        .as_ref()
        .cloned()
        .unwrap_or_else(|| props.address.to_string());
    let on_input = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            typed.set(Some(el.value()));
        })
    };
    let on_go = {
        let cb = props.on_navigate.clone();
        let input = input.clone();
        let typed = typed.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<HtmlInputElement>() {
                cb.emit(el.value());
                typed.set(None);
            }
        })
    };
    let page = rendered_page(&props.exchanges);
    html! {
        <section class="browser" aria-label={i18n::BROWSER.get(lang)}>
            <form class="address-bar" onsubmit={on_go}>
                <input ref={input} type="text" value={shown.clone()} oninput={on_input} spellcheck="false"
                       aria-label={i18n::ADDRESS_BAR.get(lang)} />
                <button type="submit">{ i18n::GO.get(lang) }</button>
            </form>
            if let Some(note) = props.note.clone() {
                if matches!(note.action, crate::sim::Action::Navigate { .. }) {
                    <ActionNote {lang} {note} on_dismiss={props.on_dismiss.clone()} />
                }
            }
            if !shown.is_empty() { <UrlParts {lang} url={shown} /> }
            <div class="viewport">
                if let Some((id, url, doc)) = page {
                    // A new frame per page: a changed srcdoc on a live frame can
                    // lose the race with the navigation it replaces.
                    <iframe key={id} class="page" sandbox="" srcdoc={doc} title={url} />
                } else {
                    <p class="placeholder">{ i18n::NO_PAGE_YET.get(lang) }</p>
                }
            </div>
        </section>
    }
}
