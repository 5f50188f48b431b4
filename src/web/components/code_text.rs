//! A program's text, drawn once per program: line numbers in a gutter,
//! comments in their colour. The code panel lays its cursor rows over it.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CodeTextProps {
    pub source: AttrValue,
}

/// The program's text: line numbers in a gutter, comments in their colour.
#[function_component(CodeText)]
pub fn code_text(props: &CodeTextProps) -> Html {
    let count = props.source.lines().count();
    let numbers: String = (1..=count).map(|n| format!("{n}\n")).collect();
    // One block per line: a line too long for the panel ends in "…" (the
    // whole line is its tooltip) instead of running under the cursors.
    let text = props.source.lines().map(|line| {
        let (code, comment) = split_comment(line);
        html! { <span class="l" title={(line.chars().count() > 60).then(|| line.to_string())}>{ code }if !comment.is_empty() { <span class="comment">{ comment }</span> }{ "\n" }</span> }
    });
    html! {
        <pre class="code-text"><span class="ln" aria-hidden="true">{ numbers }</span><code class="src">{ for text }</code></pre>
    }
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
    use super::split_comment;

    #[test]
    fn comments_are_split_but_hashes_in_strings_are_not() {
        assert_eq!(split_comment("x = 1  # one"), ("x = 1  ", "# one"));
        assert_eq!(split_comment("s = \"#no\""), ("s = \"#no\"", ""));
        assert_eq!(split_comment("# all comment"), ("", "# all comment"));
    }
}
