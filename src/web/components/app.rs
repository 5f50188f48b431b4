//! The root component: owns the state and lays out the screen.

use crate::web::components::{header::Header, stage::Stage};
use crate::web::i18n::{self, Lang};
use crate::web::query::UrlState;
use crate::web::state::{Action, State};
use yew::prelude::*;

/// The query string and browser language, read once at start.
fn initial_state() -> State {
    let window = web_sys::window();
    let query = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let browser_lang = window
        .and_then(|w| w.navigator().language())
        .and_then(|tag| Lang::from_tag(&tag));
    State::new(UrlState::parse(&query), browser_lang)
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let lang = state.lang;

    // Keep <html lang> in step, for screen readers and fonts.
    use_effect_with(lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", if *lang == Lang::Zh { "zh-CN" } else { "en" });
        }
    });

    let dismiss = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::DismissProblems))
    };
    let on_lang = {
        let state = state.clone();
        Callback::from(move |lang| state.dispatch(Action::SetLang(lang)))
    };

    html! {
        <div class={classes!("app", state.embed.then_some("embed"))}>
            if !state.embed {
                <Header {lang} {on_lang} />
            }
            if !state.problems.is_empty() {
                <div class="notice" role="alert">
                    <span>{ i18n::QUERY_PROBLEM.get(lang) }{" "}<code>{ state.problems.join(", ") }</code></span>
                    <button onclick={dismiss}>{ i18n::DISMISS.get(lang) }</button>
                </div>
            }
            <main>
                <Stage {lang} />
            </main>
        </div>
    }
}
