//! A Python program with one cursor per thread, and its editor. The text is
//! drawn once; the cursors are rows laid over it at their line, their
//! labels in a column of their own at the right so they never cover the
//! code. The panel scrolls itself to keep its cursors in view.
//!
//! Edit turns the text into a text area; a syntax error is shown at its
//! line while typing (the interpreter's own parser says so), Run starts a
//! new run with the edited program, Reset goes back to the lesson's.

use super::code_text::{row_of, CodeText, Fold};
use crate::sim::python::engine;
use crate::web::i18n::{self, Lang};
use web_sys::{HtmlElement, HtmlTextAreaElement};
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

/// An error shown at its line: a syntax error, or the exception that ended
/// a thread.
#[derive(Clone, PartialEq)]
pub struct CodeError {
    pub line: u32,
    /// `SyntaxError: invalid syntax`, `Thread-1: ConnectionResetError: …`
    pub text: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct CodePanelProps {
    pub title: AttrValue,
    pub source: AttrValue,
    pub cursors: Vec<Cursor>,
    #[prop_or(Lang::En)]
    pub lang: Lang,
    /// The program's file name (for the parser's messages).
    #[prop_or(AttrValue::Static("server.py"))]
    pub file: AttrValue,
    /// Exceptions that ended threads, at their lines.
    #[prop_or_default]
    pub errors: Vec<CodeError>,
    /// The program is the learner's, not the lesson's.
    #[prop_or_default]
    pub edited: bool,
    /// Run an edited program (`None`: the lesson's again). No callback: not editable.
    #[prop_or_default]
    pub on_run: Option<Callback<Option<String>>>,
    /// The thread the pointer is over (its cursor is outlined).
    #[prop_or_default]
    pub hover: Option<usize>,
}

/// The label a cursor shows: `Thread-1` for `Thread-1 (handle_client)`.
fn short(label: &str) -> &str {
    label.split(" (").next().unwrap_or(label)
}

/// The syntax error that keeps `source` from running, as the interpreter
/// reports it.
pub fn syntax_error(file: &str, source: &str) -> Option<CodeError> {
    // Before the interpreter has arrived, the program is checked when it runs.
    let interp = engine::loaded()?(file, source, &[]);
    let e = interp.syntax_error()?;
    Some(CodeError {
        line: e.line.max(1),
        text: format!("{}: {}", e.kind, e.msg).into(),
    })
}

/// Where lines far from every cursor are folded, if the cursors do not fit
/// in `capacity` lines otherwise: the widest gap between two cursors, less
/// a line of context on each side.
pub fn fold_for(lines: &[u32], capacity: u32) -> Fold {
    let mut lines: Vec<u32> = lines.to_vec();
    lines.sort_unstable();
    lines.dedup();
    let (first, last) = (*lines.first()?, *lines.last()?);
    if capacity == 0 || last - first + 3 <= capacity {
        return None;
    }
    let (a, b) = lines
        .windows(2)
        .map(|w| (w[0], w[1]))
        .max_by_key(|(a, b)| b - a)?;
    (b >= a + 5).then_some((a + 2, b - 2))
}

fn error_rows(errors: &[CodeError], lines: usize, fold: Fold) -> Html {
    errors
        .iter()
        .map(|e| {
            let line = (e.line as usize).clamp(1, lines.max(1));
            html! {
                <div class="code-line error" data-line={line.to_string()} style={format!("--line:{}", row_of(line as u32, fold))}
                     title={e.text.clone()}>
                    <span class="marks"><span class="err-mark">{ format!("✗ L{line}") }</span></span>
                </div>
            }
        })
        .collect()
}

#[function_component(CodePanel)]
pub fn code_panel(props: &CodePanelProps) -> Html {
    let lang = props.lang;
    let draft = use_state(|| None::<String>);
    let scroller = use_node_ref();
    // How many lines the panel shows, measured; and whether the learner
    // unfolded the program (until it changes).
    let capacity = use_state(|| 0u32);
    let unfolded = use_state(|| false);
    {
        let unfolded = unfolded.clone();
        use_effect_with(props.source.clone(), move |_| unfolded.set(false));
    }
    {
        let (scroller, capacity) = (scroller.clone(), capacity.clone());
        use_effect_with(draft.is_none(), move |viewing| {
            let measure = move || {
                if let Some(n) = lines_that_fit(&scroller) {
                    if *capacity != n {
                        capacity.set(n);
                    }
                }
            };
            if *viewing {
                measure();
            }
            let listener = viewing
                .then(web_sys::window)
                .flatten()
                .map(|w| gloo::events::EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    // The lesson's own programs parse (a test says so): only the learner's
    // are checked, which keeps the parser out of the first render.
    let syntax = use_memo(
        (props.file.clone(), props.source.clone(), props.edited),
        |(file, source, edited)| edited.then(|| syntax_error(file, source)).flatten(),
    );
    let draft_error = use_memo(((*draft).clone(), props.file.clone()), |(draft, file)| {
        draft.as_ref().and_then(|d| syntax_error(file, d))
    });

    // Cursors too far apart to fit fold the lines between them.
    let lines_key: Vec<u32> = props.cursors.iter().map(|c| c.line).collect();
    let fold = if *unfolded {
        None
    } else {
        fold_for(&lines_key, *capacity)
    };
    // Keep the cursors in view: scroll only when one is out of it.
    {
        let scroller = scroller.clone();
        let editing = draft.is_some();
        let rows: Vec<u32> = lines_key.iter().map(|l| row_of(*l, fold)).collect();
        use_effect_with((rows, editing), move |(rows, editing)| {
            if !*editing {
                follow(&scroller, rows);
            }
        });
    }

    let count = props.source.lines().count();
    let editing = draft.as_ref().cloned();

    // The lines with cursors, each once, in thread order.
    let mut lines: Vec<u32> = Vec::with_capacity(props.cursors.len());
    for c in &props.cursors {
        if !lines.contains(&c.line) {
            lines.push(c.line);
        }
    }
    let rows = lines.into_iter().map(|n| {
        let here: Vec<&Cursor> = props.cursors.iter().filter(|c| c.line == n).collect();
        let first = here[0];
        let all: Vec<&str> = here.iter().map(|c| c.label.as_str()).collect();
        let hovered = here.iter().any(|c| props.hover == Some(c.color));
        let lanes: Vec<String> = here.iter().map(|c| c.color.to_string()).collect();
        html! {
            <div key={n} class={classes!("code-line", "current", format!("lane-{}", first.color % 8), hovered.then_some("hovered"))}
                 data-line={n.to_string()} data-lanes={lanes.join(" ")} style={format!("--line:{}", row_of(n, fold))}>
                <span class="marks" title={all.join(", ")}>
                    <span class={classes!("cursor", format!("lane-{}", first.color % 8), first.blocked.then_some("blocked"))}>
                        { short(&first.label) }
                    </span>
                    if here.len() > 1 { <span class="cursor more">{ format!("+{}", here.len() - 1) }</span> }
                </span>
            </div>
        }
    });

    let errors: Vec<CodeError> = syntax
        .as_ref()
        .clone()
        .into_iter()
        .chain(props.errors.iter().cloned())
        .collect();
    let messages = |errs: &[CodeError]| -> Html {
        errs.iter()
            .map(|e| html! {
                <p class="code-error" role="alert">{ i18n::line_label(lang, e.line) }<code>{ e.text.clone() }</code></p>
            })
            .collect()
    };

    let tools = props.on_run.as_ref().map(|on_run| {
        let edit = {
            let draft = draft.clone();
            let source = props.source.to_string();
            Callback::from(move |_: MouseEvent| draft.set(Some(source.clone())))
        };
        let cancel = {
            let draft = draft.clone();
            Callback::from(move |_: MouseEvent| draft.set(None))
        };
        let run = {
            let draft = draft.clone();
            let on_run = on_run.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(d) = (*draft).clone() {
                    draft.set(None);
                    on_run.emit(Some(d));
                }
            })
        };
        let reset = {
            let draft = draft.clone();
            let on_run = on_run.clone();
            Callback::from(move |_: MouseEvent| {
                draft.set(None);
                on_run.emit(None);
            })
        };
        html! {
            <span class="code-tools">
                if editing.is_some() {
                    <button class="code-run" onclick={run} title={i18n::RUN_HELP.get(lang)}>{ i18n::RUN.get(lang) }</button>
                    <button class="code-cancel" onclick={cancel}>{ i18n::CANCEL.get(lang) }</button>
                } else {
                    <button class="code-edit-btn" onclick={edit}>{ i18n::EDIT.get(lang) }</button>
                }
                if props.edited || editing.is_some() {
                    <button class="code-reset" onclick={reset} title={i18n::RESET_CODE_HELP.get(lang)}>{ i18n::RESET_CODE.get(lang) }</button>
                }
            </span>
        }
    });

    let body = match editing {
        Some(text) => {
            let n = text.lines().count().max(1) + 1;
            let numbers: String = (1..=n).map(|i| format!("{i}\n")).collect();
            let on_input = {
                let draft = draft.clone();
                Callback::from(move |e: InputEvent| {
                    let el: HtmlTextAreaElement = e.target_unchecked_into();
                    draft.set(Some(el.value()));
                })
            };
            let errs: Vec<CodeError> = (*draft_error).clone().into_iter().collect();
            html! {
                <>
                    <div class="code-scroll">
                        <div class="code editing">
                            <pre class="code-text"><span class="ln" aria-hidden="true">{ numbers }</span>
                                <textarea class="code-input" value={text} oninput={on_input} wrap="off" spellcheck="false"
                                          autocapitalize="off" rows={n.to_string()} aria-label={props.title.clone()} /></pre>
                            <div class="code-rows">{ error_rows(&errs, n, None) }</div>
                        </div>
                    </div>
                    <div class="code-errors">
                        if errs.is_empty() { <p class="code-ok">{ i18n::NO_SYNTAX_ERROR.get(lang) }</p> }
                        { messages(&errs) }
                    </div>
                </>
            }
        }
        None => html! {
            <>
                <div class="code-scroll" ref={scroller}>
                    <div class="code">
                        <CodeText source={props.source.clone()} {fold} on_unfold={{
                            let unfolded = unfolded.clone();
                            Callback::from(move |_| unfolded.set(true))
                        }} fold_label={fold.map(|(a, b)| i18n::folded(lang, a, b)).unwrap_or_default()} />
                        <div class="code-rows">{ error_rows(&errors, count, fold) }{ for rows }</div>
                    </div>
                </div>
                if !errors.is_empty() { <div class="code-errors">{ messages(&errors) }</div> }
            </>
        },
    };
    html! {
        <section class={classes!("code-panel", props.edited.then_some("edited"))} aria-label={props.title.clone()}>
            <h3>
                <span class="code-title">{ props.title.clone() }</span>
                if props.edited { <span class="badge">{ i18n::EDITED.get(lang) }</span> }
                { for tools }
            </h3>
            { body }
        </section>
    }
}

/// The height of a line of the program, and the text's top, in the panel.
fn line_metrics(el: &HtmlElement) -> Option<(f64, f64)> {
    let line = el.query_selector(".code-text .src .l").ok()??;
    // Fractional pixels: a line is 16.38 px, say, and rounding it to 16 put
    // the thirtieth line 11 px off, partly below the panel's edge.
    let (line, panel) = (
        line.get_bounding_client_rect(),
        el.get_bounding_client_rect(),
    );
    let h = line.height();
    // The first line's top in the panel's scrolled content, as `scroll_top` counts.
    let top = line.top() - panel.top() - f64::from(el.client_top()) + f64::from(el.scroll_top());
    (h > 0.0).then_some((h, top))
}

/// How many lines of the program the panel shows at once.
fn lines_that_fit(scroller: &NodeRef) -> Option<u32> {
    let el = scroller.cast::<HtmlElement>()?;
    let (h, _) = line_metrics(&el)?;
    Some((f64::from(el.client_height()) / h).floor() as u32)
}

/// Scrolls the panel so that its cursor rows (0-based) are in view, if they are not.
fn follow(scroller: &NodeRef, rows: &[u32]) {
    let Some(el) = scroller.cast::<HtmlElement>() else {
        return;
    };
    if rows.is_empty() {
        return;
    }
    let Some((line_h, top)) = line_metrics(&el) else {
        return;
    };
    let lines = rows;
    let top_of = |r: u32| top + f64::from(r) * line_h;
    let first = lines.iter().copied().min().unwrap_or(1);
    let last = lines.iter().copied().max().unwrap_or(1);
    let (want_top, want_bottom) = (top_of(first), top_of(last) + line_h);
    let view_top = f64::from(el.scroll_top());
    let view_h = f64::from(el.client_height());
    if want_top >= view_top && want_bottom <= view_top + view_h {
        return;
    }
    // Centre the cursors' span if it fits; else show its top.
    let span = want_bottom - want_top;
    let target = if span < view_h {
        want_top - (view_h - span) / 2.0
    } else {
        want_top - line_h
    };
    el.set_scroll_top(target.max(0.0) as i32);
}

#[cfg(test)]
mod tests {
    use super::{short, syntax_error};

    #[test]
    fn lines_between_cursors_too_far_apart_are_folded() {
        use super::fold_for;
        // They fit: nothing folded.
        assert_eq!(fold_for(&[18, 30], 20), None);
        assert_eq!(fold_for(&[18], 5), None);
        // L18 and L43 in 20 lines: 20..=41 folded.
        assert_eq!(fold_for(&[43, 18, 18], 20), Some((20, 41)));
        // The widest gap is folded.
        assert_eq!(fold_for(&[5, 8, 40], 20), Some((10, 38)));
        // Not measured yet: nothing folded.
        assert_eq!(fold_for(&[1, 90], 0), None);
    }

    #[test]
    fn a_cursor_shows_the_threads_short_name() {
        assert_eq!(short("Thread-1 (handle_client)"), "Thread-1");
        assert_eq!(short("MainThread"), "MainThread");
    }

    #[test]
    fn the_syntax_error_is_the_interpreters() {
        assert!(syntax_error("server.py", "x = 1\n").is_none());
        let e = syntax_error("server.py", "x = 1\nif x\n    pass\n").unwrap();
        assert_eq!(e.line, 2);
        assert!(e.text.starts_with("SyntaxError"), "{}", e.text);
    }
}
