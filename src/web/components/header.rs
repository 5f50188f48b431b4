//! The header: the app's name, its tagline and the language switch.

use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub lang: Lang,
    pub on_lang: Callback<Lang>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let lang = props.lang;
    let switch = {
        let on_lang = props.on_lang.clone();
        Callback::from(move |_| on_lang.emit(lang.other()))
    };
    html! {
        <header class="app-header">
            <h1 class="brand">{"sockscope"}</h1>
            <p class="tagline">{ i18n::APP_TAGLINE.get(lang) }</p>
            <button class="lang-switch" aria-label={i18n::LANG_SWITCH_LABEL.get(lang)} onclick={switch}>
                { i18n::LANG_SWITCH_TEXT.get(lang) }
            </button>
        </header>
    }
}
