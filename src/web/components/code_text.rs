//! A program's text, drawn once per program: line numbers in a gutter,
//! comments in their colour. The code panel lays its cursor rows over it.
//! A run of lines far from every cursor can be folded into one row, so
//! that cursors far apart fit in the panel together.

use crate::web::html::escape_into;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Lines `start..=end` (1-based) folded into one row.
pub type Fold = Option<(u32, u32)>;

/// The row a line is drawn on (0-based) when `fold` is folded.
pub fn row_of(line: u32, fold: Fold) -> u32 {
    let i = line.saturating_sub(1);
    match fold {
        Some((start, end)) if line > end => i - (end - start),
        Some((start, _)) if line >= start => start - 1,
        _ => i,
    }
}

#[derive(Properties, PartialEq)]
pub struct CodeTextProps {
    pub source: AttrValue,
    #[prop_or_default]
    pub fold: Fold,
    /// The label of the folded row: "⋯ lines 21–40".
    #[prop_or_default]
    pub fold_label: AttrValue,
    #[prop_or_default]
    pub on_unfold: Callback<()>,
}

/// The program's text: line numbers in a gutter, comments in their colour.
///
/// The lines are handed to the browser as one escaped HTML string (one
/// `innerHTML`), not built element by element: a program is a few hundred
/// nodes, and creating each one through a call from WebAssembly was a
/// large part of the app's first render. The fold's button is in that
/// string too; its click is caught on the `<pre>`.
#[function_component(CodeText)]
pub fn code_text(props: &CodeTextProps) -> Html {
    let text = use_memo(
        (props.source.clone(), props.fold, props.fold_label.clone()),
        |(source, fold, label)| {
            let (numbers, lines) = text_html(source, *fold, label);
            (AttrValue::from(numbers), AttrValue::from(lines))
        },
    );
    let on_unfold = props.on_unfold.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        let on_button = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.class_name().split_whitespace().any(|c| c == "unfold"));
        if on_button {
            on_unfold.emit(());
        }
    });
    html! {
        <pre class="code-text" {onclick}><span class="ln" aria-hidden="true">{ text.0.clone() }</span>{ Html::from_html_unchecked(text.1.clone()) }</pre>
    }
}

/// The gutter's text and the `<code class="src">` element (as HTML) of a
/// program: one `<span class="l">` per line shown, its `#` comment in a
/// `<span class="comment">`, a long line's whole text as its tooltip, and
/// one row with an unfold button for the folded lines. Every piece of the
/// program is escaped: it is the learner's own text.
pub fn text_html(source: &str, fold: Fold, fold_label: &str) -> (String, String) {
    let shown = |n: u32| !matches!(fold, Some((a, b)) if n >= a && n <= b);
    let mut numbers = String::new();
    let mut out = String::from("<code class=\"src\">");
    for (i, line) in source.lines().enumerate() {
        let n = i as u32 + 1;
        if !shown(n) {
            if fold.is_some_and(|(a, _)| a == n) {
                numbers.push_str("⋯\n");
                out.push_str("<span class=\"l fold\"><button class=\"unfold\" type=\"button\">");
                escape_into(&mut out, fold_label);
                out.push_str("</button>\n</span>");
            }
            continue;
        }
        numbers.push_str(&n.to_string());
        numbers.push('\n');
        // One block per line: a line too long for the panel ends in "…"
        // (the whole line is its tooltip) instead of running under the cursors.
        out.push_str("<span class=\"l\"");
        if line.chars().count() > 60 {
            out.push_str(" title=\"");
            escape_into(&mut out, line);
            out.push('"');
        }
        out.push('>');
        let (code, comment) = split_comment(line);
        escape_into(&mut out, code);
        if !comment.is_empty() {
            out.push_str("<span class=\"comment\">");
            escape_into(&mut out, comment);
            out.push_str("</span>");
        }
        out.push_str("\n</span>");
    }
    out.push_str("</code>");
    (numbers, out)
}

/// Splits a Python line into code and its `#` comment (a `#` inside a string
/// literal is not a comment).
pub fn split_comment(line: &str) -> (&str, &str) {
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
    use super::{row_of, split_comment, text_html};

    #[test]
    fn a_folded_run_of_lines_is_one_row() {
        assert_eq!(row_of(1, None), 0);
        assert_eq!(row_of(30, None), 29);
        let fold = Some((10, 19));
        assert_eq!(row_of(9, fold), 8);
        assert_eq!(row_of(10, fold), 9);
        assert_eq!(row_of(19, fold), 9);
        assert_eq!(row_of(20, fold), 10);
        assert_eq!(row_of(30, fold), 20);
    }

    #[test]
    fn comments_are_split_but_hashes_in_strings_are_not() {
        assert_eq!(split_comment("x = 1  # one"), ("x = 1  ", "# one"));
        assert_eq!(split_comment("s = \"#no\""), ("s = \"#no\"", ""));
        assert_eq!(split_comment("# all comment"), ("", "# all comment"));
    }

    #[test]
    fn the_text_is_escaped_html_one_block_per_line() {
        let source = "a = '<b>' & \"c\"  # <i>\n\nprint(a)";
        let (numbers, html) = text_html(source, None, "");
        assert_eq!(numbers, "1\n2\n3\n");
        assert_eq!(
            html,
            concat!(
                "<code class=\"src\">",
                "<span class=\"l\">a = &#39;&lt;b&gt;&#39; &amp; &quot;c&quot;  ",
                "<span class=\"comment\"># &lt;i&gt;</span>\n</span>",
                "<span class=\"l\">\n</span>",
                "<span class=\"l\">print(a)\n</span>",
                "</code>"
            )
        );
        // A long line keeps its whole text as its tooltip, escaped too.
        let long = format!("x = \"{}\"", "<".repeat(60));
        let (_, html) = text_html(&long, None, "");
        assert!(html.contains(&format!("title=\"x = &quot;{}&quot;\"", "&lt;".repeat(60))));
        assert!(!html[1..].contains("<<"));
    }

    #[test]
    fn folded_lines_are_one_row_with_a_button() {
        let source = (1..=6)
            .map(|n| format!("l{n}"))
            .collect::<Vec<_>>()
            .join("\n");
        let (numbers, html) = text_html(&source, Some((2, 4)), "⋯ lines 2–4 <");
        assert_eq!(numbers, "1\n⋯\n5\n6\n");
        assert_eq!(html.matches("<span class=\"l").count(), 4);
        assert!(html.contains(
            "<span class=\"l fold\"><button class=\"unfold\" type=\"button\">⋯ lines 2–4 &lt;</button>\n</span>"
        ));
        assert!(!html.contains("l3"));
    }
}
