//! What became of the learner's last action, beside the control that made
//! it: running until its effect shows, the effect, or why it was refused.

use crate::web::i18n::{self, Lang};
use crate::web::state::{Note, NoteStatus};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoteProps {
    pub lang: Lang,
    pub note: Note,
    pub on_dismiss: Callback<()>,
}

#[function_component(ActionNote)]
pub fn action_note(props: &NoteProps) -> Html {
    let lang = props.lang;
    let n = &props.note;
    let what = n.action.describe(lang);
    let colon = i18n::COLON.get(lang);
    let (class, text) = match &n.status {
        NoteStatus::Running => (
            "running",
            format!("▶ {what}{colon}{}", i18n::NOTE_RUNNING.get(lang)),
        ),
        NoteStatus::Applied => ("done", format!("✓ {what}")),
        NoteStatus::Done { step, event } => (
            "done",
            format!(
                "✓ {what} → {}{colon}{}",
                i18n::step_label(lang, *step),
                event.narration(lang)
            ),
        ),
        NoteStatus::Ignored { why } => ("refused", format!("✗ {what}{colon}{}", why.get(lang))),
        NoteStatus::Stopped => (
            "stopped",
            // Not U+23F8 "⏸", which DejaVu Sans (a plain Linux desktop's
            // font) has no glyph for: the pause icon is drawn before the text.
            format!("{what}{colon}{}", i18n::NOTE_STOPPED.get(lang)),
        ),
    };
    let role = if class == "refused" {
        "alert"
    } else {
        "status"
    };
    html! {
        <p class={classes!("action-note", class)} {role}>
            <span>
                if class == "stopped" { { super::controls::icon("pause") }{ " " } }
                { text }
            </span>
            <button class="dismiss" onclick={props.on_dismiss.reform(|_| ())} aria-label={i18n::DISMISS.get(lang)}>{ "×" }</button>
        </p>
    }
}
