//! The narration of the current step: what just happened, and why.

use crate::sim::Event;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub lang: Lang,
    pub step: u64,
    /// The events of the current step.
    pub events: Vec<Event>,
    pub finished: bool,
}

#[function_component(Narration)]
pub fn narration(props: &NarrationProps) -> Html {
    let lang = props.lang;
    let lines: Vec<String> = props
        .events
        .iter()
        .map(|e| e.narration(lang))
        .filter(|s| !s.is_empty())
        .collect();
    html! {
        <section class="narration" aria-live="polite" aria-label={i18n::NARRATION.get(lang)}>
            if lines.is_empty() {
                <p class="lead">{ if props.step == 0 { i18n::PRESS_PLAY.get(lang) } else if props.finished { i18n::FINISHED.get(lang) } else { "" } }</p>
            } else {
                <p class="lead">{ &lines[0] }</p>
                if lines.len() > 1 {
                    <ul>{ for lines[1..].iter().map(|l| html!{ <li>{ l }</li> }) }</ul>
                }
            }
            if props.finished && !lines.is_empty() { <p class="done">{ i18n::FINISHED.get(lang) }</p> }
        </section>
    }
}
