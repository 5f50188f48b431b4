//! The lesson's Python programs with one cursor per thread. The text is
//! drawn once; the cursors are rows laid over it at their line.

use super::code_text::CodeText;
use yew::prelude::*;

/// A thread's cursor in a program.
#[derive(Clone, PartialEq)]
pub struct Cursor {
    /// 1-based line.
    pub line: u32,
    pub label: AttrValue,
    /// Index into the lane colour palette (matches the thread's lane).
    pub color: usize,
    pub blocked: bool,
}

#[derive(Properties, PartialEq)]
pub struct CodePanelProps {
    pub title: AttrValue,
    pub source: AttrValue,
    pub cursors: Vec<Cursor>,
}

#[function_component(CodePanel)]
pub fn code_panel(props: &CodePanelProps) -> Html {
    // The text is drawn once per program (CodeText compares its source);
    // a tick redraws only the rows that carry cursors, laid over the text.
    // The lines with cursors, each once, in thread order (the rows are
    // placed by their line number, so their order does not show).
    let mut lines: Vec<u32> = Vec::with_capacity(props.cursors.len());
    for c in &props.cursors {
        if !lines.contains(&c.line) {
            lines.push(c.line);
        }
    }
    let rows = lines.into_iter().map(|n| {
        let here: Vec<&Cursor> = props.cursors.iter().filter(|c| c.line == n).collect();
        let lane = here.first().map(|c| format!("lane-{}", c.color % 8));
        html! {
            <div key={n} class={classes!("code-line", "current", lane)} data-line={n.to_string()}
                 style={format!("--line:{}", n - 1)}>
                <span class="marks">
                    { for here.iter().map(|c| html! {
                        <span class={classes!("cursor", format!("lane-{}", c.color % 8), c.blocked.then_some("blocked"))}
                              title={c.label.clone()}>{ c.label.clone() }</span>
                    }) }
                </span>
            </div>
        }
    });
    html! {
        <section class="code-panel" aria-label={props.title.clone()}>
            <h3>{ props.title.clone() }</h3>
            <div class="code">
                <CodeText source={props.source.clone()} />
                <div class="code-rows">{ for rows }</div>
            </div>
        </section>
    }
}
