//! One entry of the event list: when, where, what; a click jumps to that
//! moment. Its own component, so a tick that adds events draws only theirs.

use crate::sim::Event;
use crate::web::i18n::{self, Lang};
use crate::web::state::CategoryKey;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventRowProps {
    pub lang: Lang,
    /// Its index in the log.
    pub index: usize,
    pub event: Event,
    pub selected: bool,
    pub on_jump: Callback<usize>,
}

#[function_component(EventRow)]
pub fn event_row(props: &EventRowProps) -> Html {
    let (i, e, lang) = (props.index, &props.event, props.lang);
    let jump = props.on_jump.reform(move |_| i);
    let who = e.host.map(|h| h.name()).unwrap_or_default();
    html! {
        <li class={classes!("event", format!("cat-{}", CategoryKey::from(e.kind.category()).0),
                            props.selected.then_some("selected"))}>
            <button onclick={jump} title={i18n::JUMP_HERE.get(lang)}>
                <span class="t">{ format!("{} ms", e.at.millis_text()) }</span>
                <span class="who">{ who }</span>
                <span class="what">{ e.narration(lang) }</span>
            </button>
        </li>
    }
}
