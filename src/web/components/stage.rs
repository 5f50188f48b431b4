//! The stage: the server host, the wire and the clients.

use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub lang: Lang,
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = props.lang;
    html! {
        <section class="stage" aria-label={i18n::STAGE_LABEL.get(lang)}>
            <div class="stage-column server"><h2>{ i18n::SERVER.get(lang) }</h2></div>
            <div class="stage-column wire"><h2>{ i18n::WIRE.get(lang) }</h2></div>
            <div class="stage-column clients"><h2>{ i18n::CLIENTS.get(lang) }</h2></div>
            <p class="stage-empty">{ i18n::STAGE_EMPTY.get(lang) }</p>
        </section>
    }
}
