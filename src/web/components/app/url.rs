//! The app's address: the first state, read from the query string, and
//! the share link made from the state.

use crate::web::i18n::Lang;
use crate::web::query::{share_query, Share, UrlState, ViewQuery};
use crate::web::state::State;

/// The query string and browser language, read once at start.
pub(super) fn initial_state() -> State {
    let window = web_sys::window();
    let query = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let browser_lang = window
        .as_ref()
        .and_then(|w| w.navigator().language())
        .and_then(|tag| Lang::from_tag(&tag));
    let mut state = State::new(UrlState::parse(&query), browser_lang);
    state.reduced_motion = window
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches());
    state
}

/// The page's address without its query: the base of a share link.
fn page_base() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// The link that restores this moment, and the view.
pub(super) fn share_link(state: &State, embed: bool) -> String {
    let run = state.run.borrow();
    let setup = run.setup();
    let edited = setup.server.is_some() || setup.client.is_some();
    format!(
        "{}{}",
        page_base(),
        share_query(&Share {
            lang: state.lang,
            lesson: state.lesson,
            seed: state.seed,
            actions: run.actions(),
            step: run.current_step(),
            code: state.code_link.as_deref().filter(|_| edited),
            view: ViewQuery {
                display: state.display,
                decode: state.decode_chosen.then_some(state.decode),
                speed: state.speed,
                request: state.request,
                tab: state.tab,
            },
            embed,
            quiz: state.quiz.link_value(),
        })
    )
}
