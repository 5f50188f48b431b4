//! A program's text, drawn once per program: line numbers in a gutter,
//! comments in their colour. The code panel lays its cursor rows over it.
//! A run of lines far from every cursor can be folded into one row, so
//! that cursors far apart fit in the panel together.

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
#[function_component(CodeText)]
pub fn code_text(props: &CodeTextProps) -> Html {
    let shown = |n: u32| !matches!(props.fold, Some((a, b)) if n >= a && n <= b);
    let mut numbers = String::new();
    let mut rows: Vec<Html> = Vec::new();
    for (i, line) in props.source.lines().enumerate() {
        let n = i as u32 + 1;
        if !shown(n) {
            if props.fold.is_some_and(|(a, _)| a == n) {
                numbers.push_str("⋯\n");
                let unfold = props.on_unfold.reform(|_: MouseEvent| ());
                rows.push(html! {
                    <span class="l fold"><button class="unfold" onclick={unfold}>{ props.fold_label.clone() }</button>{ "\n" }</span>
                });
            }
            continue;
        }
        numbers.push_str(&format!("{n}\n"));
        // One block per line: a line too long for the panel ends in "…"
        // (the whole line is its tooltip) instead of running under the cursors.
        let (code, comment) = split_comment(line);
        rows.push(html! { <span class="l" title={(line.chars().count() > 60).then(|| line.to_string())}>{ code }if !comment.is_empty() { <span class="comment">{ comment }</span> }{ "\n" }</span> });
    }
    html! {
        <pre class="code-text"><span class="ln" aria-hidden="true">{ numbers }</span><code class="src">{ for rows }</code></pre>
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
    use super::{row_of, split_comment};

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
}
