//! The narration of the current step: who acts, what just happened, and why.

use crate::sim::Event;
use crate::text::Text;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

/// Who acts in an event: the colour of the thread's lane and its name
/// (with the peer it serves), as the narration shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub color: usize,
    pub label: String,
}

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub lang: Lang,
    pub step: u64,
    /// The events of the current step.
    pub events: Vec<Event>,
    /// Who acts in each event (same order), if a thread does.
    #[prop_or_default]
    pub actors: Vec<Option<Actor>>,
    pub finished: bool,
    /// Finished only until the learner acts (the sandbox, an interactive
    /// client, the browser's address bar): what they can do, said once the
    /// run rests.
    #[prop_or_default]
    pub waiting_for_learner: Option<Text>,
    /// The lesson's intro, said before the first step.
    #[prop_or_default]
    pub intro: AttrValue,
}

/// The step's sentences, each once, with how many times it was said.
fn sentences(
    events: &[Event],
    actors: &[Option<Actor>],
    lang: Lang,
) -> Vec<(Option<Actor>, String, usize)> {
    let mut out: Vec<(Option<Actor>, String, usize)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let text = e.narration(lang);
        if text.is_empty() {
            continue;
        }
        let actor = actors.get(i).cloned().flatten();
        match out.iter_mut().find(|(a, t, _)| *t == text && *a == actor) {
            Some(same) => same.2 += 1,
            None => out.push((actor, text, 1)),
        }
    }
    out
}

/// A sentence, after who acts in it if that is not the sentence before's.
fn line(actor: &Option<Actor>, before: Option<&Option<Actor>>, text: &str, times: usize) -> Html {
    let named = actor.as_ref().filter(|_| before != Some(actor));
    html! {
        <>
            if let Some(a) = named { <span class={classes!("actor", format!("lane-{}", a.color % 8))}>{ &a.label }</span> }
            { text.to_string() }
            if times > 1 { <span class="times">{ format!(" (×{times})") }</span> }
        </>
    }
}

#[function_component(Narration)]
pub fn narration(props: &NarrationProps) -> Html {
    let lang = props.lang;
    let lines = sentences(&props.events, &props.actors, lang);
    let done = props.waiting_for_learner.unwrap_or(i18n::FINISHED);
    html! {
        <section class="narration" aria-live="polite" aria-label={i18n::NARRATION.get(lang)}>
            if lines.is_empty() && props.step == 0 {
                <p class="lead intro-lead">{ props.intro.clone() }</p>
                <p class="start">{ i18n::PRESS_PLAY.get(lang) }</p>
            } else if lines.is_empty() {
                <p class="lead">{ if props.finished { done.get(lang) } else { "" } }</p>
            } else {
                <p class="lead">{ line(&lines[0].0, None, &lines[0].1, lines[0].2) }</p>
                if lines.len() > 1 {
                    <ul>{ for lines.windows(2).map(|w| html!{ <li>{ line(&w[1].0, Some(&w[0].0), &w[1].1, w[1].2) }</li> }) }</ul>
                }
            }
            if props.finished && !lines.is_empty() { <p class={classes!("done", props.waiting_for_learner.is_some().then_some("resting"))}>{ done.get(lang) }</p> }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{LessonId, Run};

    #[test]
    fn a_sentence_said_twice_in_one_step_is_shown_once_with_a_count() {
        // Lesson 3 sends two full segments in one step.
        let mut run = Run::new(LessonId::Buffers, LessonId::Buffers.info().default_seed);
        let mut found = false;
        while run.step() {
            let events = run.events_at(run.current_step());
            let said: Vec<String> = events.iter().map(|e| e.narration(Lang::En)).collect();
            let shown = sentences(events, &[], Lang::En);
            let texts: Vec<&String> = shown.iter().map(|(_, t, _)| t).collect();
            let mut unique = texts.clone();
            unique.dedup();
            assert_eq!(texts.len(), unique.len());
            assert_eq!(
                shown.iter().map(|s| s.2).sum::<usize>(),
                said.iter().filter(|s| !s.is_empty()).count()
            );
            found |= shown.iter().any(|s| s.2 > 1);
        }
        let _ = found;
    }
}
