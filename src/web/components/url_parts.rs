//! A URL split into its parts, each highlighted in place and explained.

use crate::http::{address_bar, Url, UrlError, UrlPartKind};
use crate::web::i18n::{self, Lang, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UrlPartsProps {
    pub lang: Lang,
    pub url: AttrValue,
}

pub fn part_text(kind: UrlPartKind) -> (Text, Text) {
    match kind {
        UrlPartKind::Scheme => (i18n::URL_SCHEME, i18n::URL_SCHEME_HELP),
        UrlPartKind::Host => (i18n::URL_HOST, i18n::URL_HOST_HELP),
        UrlPartKind::Port => (i18n::URL_PORT, i18n::URL_PORT_HELP),
        UrlPartKind::Path => (i18n::URL_PATH, i18n::URL_PATH_HELP),
        UrlPartKind::Query => (i18n::URL_QUERY, i18n::URL_QUERY_HELP),
        UrlPartKind::Fragment => (i18n::URL_FRAGMENT, i18n::URL_FRAGMENT_HELP),
    }
}

/// Why the URL was refused, in the learner's language.
pub fn url_error_text(e: &UrlError, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => e.zh(),
    }
}

#[function_component(UrlParts)]
pub fn url_parts(props: &UrlPartsProps) -> Html {
    let lang = props.lang;
    // What the address bar will visit: `http://` put in front of a bare host.
    let visited = address_bar(props.url.as_str());
    let added_scheme = visited.len() > props.url.trim().len();
    let input = visited.as_str();
    let url = match Url::parse(input) {
        Ok(url) => url,
        Err(e) => {
            return html! { <p class="url-error" role="alert">{ url_error_text(&e, lang) }</p> };
        }
    };
    // The URL as typed, each part in its own colour.
    let mut pieces = Vec::new();
    let mut at = 0;
    for (kind, span) in url.parts() {
        if span.start > at {
            pieces.push(html! { <span class="url-sep">{ &input[at..span.start] }</span> });
        }
        pieces.push(html! { <span class={classes!("url-part", kind.name())}>{ &input[span.clone()] }</span> });
        at = span.end;
    }
    if at < input.len() {
        pieces.push(html! { <span class="url-sep">{ &input[at..] }</span> });
    }
    let rows = url.parts().into_iter().map(|(kind, span)| {
        let (name, help) = part_text(kind);
        html! {
            <tr class={kind.name()}>
                <th scope="row"><span class={classes!("url-part", kind.name())}>{ name.get(lang) }</span></th>
                <td><code>{ &input[span] }</code></td>
                <td class="help">{ help.get(lang) }</td>
            </tr>
        }
    });
    let default_port = url.port_part.is_none().then(|| {
        html! {
            <tr class="port">
                <th scope="row"><span class="url-part port">{ i18n::URL_PORT.get(lang) }</span></th>
                <td><code>{ url.port }</code></td>
                <td class="help">{ i18n::URL_PORT_DEFAULT.get(lang) }</td>
            </tr>
        }
    });
    let params = url.params.iter().map(|p| {
        html! { <li><code class="url-part query">{ &p.key }</code>{ " = " }<code>{ &p.value }</code></li> }
    });
    html! {
        <div class="url-breakdown" aria-label={i18n::URL_PARTS.get(lang)}>
            <div class="url-colored"><code>{ for pieces }</code></div>
            if added_scheme {
                <p class="hint scheme-added">{ i18n::SCHEME_ADDED.get(lang) }</p>
            }
            <table class="url-table">
                { for rows }
                { for default_port }
            </table>
            if !url.params.is_empty() {
                <div class="params">
                    <span>{ i18n::URL_PARAMS.get(lang) }</span>
                    <ul>{ for params }</ul>
                </div>
            }
        </div>
    }
}
