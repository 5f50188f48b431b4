//! The lesson's Python programs with one cursor per thread.

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
    // One component per line: a tick that moves one cursor re-renders the
    // lines it left and entered, not the whole program.
    let lines = props.source.lines().enumerate().map(|(i, text)| {
        let n = i as u32 + 1;
        let here: Vec<Cursor> = props
            .cursors
            .iter()
            .filter(|c| c.line == n)
            .cloned()
            .collect();
        html! { <CodeLine key={n} {n} text={AttrValue::from(text.to_string())} {here} /> }
    });
    html! {
        <section class="code-panel" aria-label={props.title.clone()}>
            <h3>{ props.title.clone() }</h3>
            <pre><code>{ for lines }</code></pre>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CodeLineProps {
    n: u32,
    text: AttrValue,
    /// The cursors on this line.
    here: Vec<Cursor>,
}

#[function_component(CodeLine)]
fn code_line(props: &CodeLineProps) -> Html {
    let here = &props.here;
    let marks = here.iter().map(|c| {
        html! {
            <span class={classes!("cursor", format!("lane-{}", c.color % 8), c.blocked.then_some("blocked"))}
                  title={c.label.clone()}>{ c.label.clone() }</span>
        }
    });
    let (code, comment) = split_comment(&props.text);
    html! {
        <div class={classes!("code-line", (!here.is_empty()).then_some("current"),
                             here.first().map(|c| format!("lane-{}", c.color % 8)))}>
            <span class="ln">{ props.n }</span>
            <span class="src">{ code }if !comment.is_empty() { <span class="comment">{ comment }</span> }</span>
            <span class="marks">{ for marks }</span>
        </div>
    }
}

/// Splits a Python line into code and its `#` comment (a `#` inside a string
/// literal is not a comment).
fn split_comment(line: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') => return (&line[..i], &line[i..]),
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    (line, "")
}

#[cfg(test)]
mod tests {
    use super::split_comment;

    #[test]
    fn comments_are_split_but_hashes_in_strings_are_not() {
        assert_eq!(split_comment("x = 1  # one"), ("x = 1  ", "# one"));
        assert_eq!(split_comment("s = \"#no\""), ("s = \"#no\"", ""));
        assert_eq!(split_comment("# all comment"), ("", "# all comment"));
    }
}
