//! The help overlay (keyboard shortcuts) and the share/embed dialog.

use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub lang: Lang,
    pub on_close: Callback<()>,
}

#[function_component(HelpOverlay)]
pub fn help_overlay(props: &HelpProps) -> Html {
    let lang = props.lang;
    let keys: [(&str, i18n::Text); 6] = [
        ("Space", i18n::PLAY_PAUSE),
        ("→", i18n::STEP),
        ("←", i18n::STEP_BACK),
        ("Home", i18n::RESET),
        ("?", i18n::HELP),
        ("Esc", i18n::CLOSE),
    ];
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label={i18n::HELP.get(lang)}>
            <div class="dialog">
                <h2>{ i18n::SHORTCUTS.get(lang) }</h2>
                <table class="keys">
                    { for keys.iter().map(|(k, t)| html!{ <tr><td><kbd>{ *k }</kbd></td><td>{ t.get(lang) }</td></tr> }) }
                </table>
                <p>{ i18n::HELP_TEXT.get(lang) }</p>
                <button class="close" onclick={props.on_close.reform(|_| ())}>{ i18n::CLOSE.get(lang) }</button>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub lang: Lang,
    /// The link that restores this run exactly.
    pub link: AttrValue,
    pub on_close: Callback<()>,
}

/// The iframe line a teacher pastes into a course page.
pub fn iframe_line(embed_link: &str) -> String {
    let escaped = crate::web::html::escape(embed_link);
    format!(
        r#"<iframe src="{escaped}" width="100%" height="760" style="border:0" title="sockscope" loading="lazy"></iframe>"#
    )
}

/// Puts `text` on the clipboard; `false` if the browser would not.
fn copy(text: &str, field: &NodeRef) -> bool {
    // Select it first: the learner sees what was copied, and can press
    // Ctrl-C themselves if the clipboard is refused.
    if let Some(el) = field.cast::<web_sys::HtmlTextAreaElement>() {
        el.select();
    }
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        return false;
    };
    let _ = clipboard.write_text(text);
    true
}

#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareProps) -> Html {
    let lang = props.lang;
    let embed = format!("{}&embed=1", props.link);
    let iframe = iframe_line(&embed);
    let copied = use_state(|| None::<&'static str>);
    let link_field = use_node_ref();
    let embed_field = use_node_ref();
    let copy_button = |which: &'static str, text: String, field: NodeRef| {
        let copied = copied.clone();
        let on = *copied == Some(which);
        let click = Callback::from(move |_: MouseEvent| {
            if copy(&text, &field) {
                copied.set(Some(which));
            }
        });
        html! {
            <button class={classes!("copy", which)} onclick={click}>
                { if on { i18n::COPIED.get(lang) } else { i18n::COPY.get(lang) } }
            </button>
        }
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label={i18n::SHARE.get(lang)}>
            <div class="dialog share">
                <h2>{ i18n::SHARE.get(lang) }</h2>
                <label>{ i18n::SHARE_LINK.get(lang) }
                    <textarea ref={link_field.clone()} readonly=true rows="3" class="share-link" value={props.link.clone()} /></label>
                { copy_button("copy-link", props.link.to_string(), link_field) }
                <label>{ i18n::EMBED_LINE.get(lang) }
                    <textarea ref={embed_field.clone()} readonly=true rows="4" class="embed-line" value={iframe.clone()} /></label>
                { copy_button("copy-embed", iframe, embed_field) }
                <p class="hint">{ i18n::SHARE_HINT.get(lang) }</p>
                <button class="close" onclick={props.on_close.reform(|_| ())}>{ i18n::CLOSE.get(lang) }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_iframe_line_escapes_the_link() {
        let line = super::iframe_line("https://x.test/a/?lesson=echo&embed=1");
        assert!(line.starts_with("<iframe src=\"https://x.test/a/?lesson=echo&amp;embed=1\""));
    }
}
