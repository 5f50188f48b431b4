//! A lesson's checkpoints on screen: the question card (asked while the run
//! waits at the step before its trigger), the verdict the run then gives,
//! and the score in the bar. Everything judged comes from the core
//! ([`crate::sim::quiz`]); this only draws it.

use crate::sim::quiz::{Checkpoint, Verdict};
use crate::web::i18n::{self, Lang};
use crate::web::state::{Quiz, Reply};
use yew::prelude::*;

/// How many checkpoints were answered right, of all the lesson's.
pub fn score(checkpoints: &[Checkpoint], verdicts: &[Verdict], quiz: &Quiz) -> (usize, usize) {
    let right = checkpoints
        .iter()
        .zip(verdicts)
        .enumerate()
        .filter(|(i, (cp, v))| match quiz.reply(*i) {
            Some(Reply::Chose(c)) => cp.is_right(v, c) == Some(true),
            _ => false,
        })
        .count();
    (right, checkpoints.len())
}

#[derive(Properties, PartialEq)]
pub struct ScoreProps {
    pub lang: Lang,
    pub right: usize,
    pub total: usize,
}

#[function_component(QuizScore)]
pub fn quiz_score(props: &ScoreProps) -> Html {
    let title = i18n::QUIZ_SCORE_TITLE.get(props.lang);
    html! {
        <span class="quiz-score" {title} aria-label={title}>
            { format!("✓ {} / {}", props.right, props.total) }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub lang: Lang,
    /// Which checkpoint, and of how many.
    pub index: usize,
    pub total: usize,
    pub checkpoint: Checkpoint,
    /// The run waits for an answer.
    pub asking: bool,
    /// A verdict shown above the next question: without the question and
    /// the learner's answer, to keep the stage visible.
    #[prop_or_default]
    pub compact: bool,
    pub reply: Option<Reply>,
    pub verdict: Verdict,
    pub on_answer: Callback<(usize, usize)>,
    pub on_pass: Callback<()>,
    pub on_dismiss: Callback<()>,
}

#[function_component(QuizCard)]
pub fn quiz_card(props: &CardProps) -> Html {
    let lang = props.lang;
    let cp = &props.checkpoint;
    let kicker = format!(
        "{} · {} / {}",
        i18n::QUIZ_LABEL.get(lang),
        props.index + 1,
        props.total
    );
    let choice_text = |i: usize| cp.choices.get(i).map(|c| c.text.get(lang)).unwrap_or("");
    let body = if props.asking {
        let index = props.index;
        html! {
            <>
                <p class="quiz-hint">{ i18n::QUIZ_PREDICT.get(lang) }</p>
                <div class="quiz-choices" role="group" aria-label={i18n::QUIZ_LABEL.get(lang)}>
                    { for cp.choices.iter().enumerate().map(|(i, c)| {
                        let onclick = props.on_answer.reform(move |_: MouseEvent| (index, i));
                        html! { <button class="quiz-choice" data-choice={i.to_string()} {onclick}>{ c.text.get(lang) }</button> }
                    }) }
                </div>
                <button class="quiz-pass" onclick={props.on_pass.reform(|_| ())}>{ i18n::QUIZ_SKIP.get(lang) }</button>
            </>
        }
    } else {
        let yours = match props.reply {
            Some(Reply::Chose(c)) => Some(c),
            _ => None,
        };
        let your_line = yours.filter(|_| !props.compact).map(|c| {
            html! { <p class="quiz-yours">{ i18n::QUIZ_YOURS.get(lang) }{ choice_text(c) }</p> }
        });
        match (&props.verdict, yours) {
            (Verdict::Decided { explain, .. }, Some(c)) => {
                let right = cp.is_right(&props.verdict, c) == Some(true);
                let answers = cp.right_choices(&props.verdict);
                let (class, head) = if right {
                    ("right", i18n::QUIZ_RIGHT)
                } else {
                    ("wrong", i18n::QUIZ_WRONG)
                };
                html! {
                    <>
                        { your_line }
                        <p class={classes!("quiz-verdict", class)} role="status">
                            <strong>{ head.get(lang) }</strong>{ " " }{ explain.get(lang) }
                        </p>
                        if !right {
                            <p class="quiz-answer">
                                if answers.is_empty() {
                                    { i18n::QUIZ_NONE_RIGHT.get(lang) }
                                } else {
                                    { i18n::QUIZ_ANSWER.get(lang) }{ answers.iter().map(|&i| choice_text(i)).collect::<Vec<_>>().join("; ") }
                                }
                            </p>
                        }
                    </>
                }
            }
            (Verdict::Skipped { why }, _) => html! {
                <>
                    { your_line }
                    <p class="quiz-verdict skipped" role="status">{ why.get(lang) }</p>
                </>
            },
            _ => html! {
                <>
                    { your_line }
                    <p class="quiz-verdict open" role="status">{ i18n::QUIZ_WATCH.get(lang) }</p>
                </>
            },
        }
    };
    html! {
        <aside class={classes!("quiz-card", props.asking.then_some("asking"), props.compact.then_some("compact"))} aria-label={i18n::QUIZ_LABEL.get(lang)}>
            <div class="quiz-head">
                <span class="quiz-kicker">{ kicker }</span>
                if !props.asking {
                    <button class="dismiss" onclick={props.on_dismiss.reform(|_| ())} aria-label={i18n::DISMISS.get(lang)}>{ "×" }</button>
                }
            </div>
            if !props.compact {
                <p class="quiz-question">{ cp.question.get(lang) }</p>
            }
            { body }
        </aside>
    }
}
