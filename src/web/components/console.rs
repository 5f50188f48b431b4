//! A host's terminal: the lines its Python `print` calls wrote.

use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub lang: Lang,
    pub title: AttrValue,
    pub lines: Vec<String>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let lang = props.lang;
    html! {
        <section class="console" aria-label={props.title.clone()}>
            <h3>{ props.title.clone() }</h3>
            <pre>
                { for props.lines.iter().map(|l| html!{ <div class="console-line">{ l }</div> }) }
                if props.lines.is_empty() { <div class="console-empty">{ i18n::NO_OUTPUT.get(lang) }</div> }
            </pre>
        </section>
    }
}
