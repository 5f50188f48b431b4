//! Play, pause, step, step back, the timeline, speed and reset.

use crate::web::i18n::{self, Lang};
use crate::web::state::{Action, Speed};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub lang: Lang,
    pub playing: bool,
    pub finished: bool,
    /// Steps taken so far, and the furthest step known.
    pub step: u64,
    pub horizon: u64,
    /// The step the run comes to rest at (the timeline's end), once known;
    /// `open`: it had not come to rest when measured.
    #[prop_or_default]
    pub total: Option<u64>,
    #[prop_or_default]
    pub open: bool,
    pub speed: Speed,
    /// Simulated time at the current step, for display.
    pub now: AttrValue,
    /// The run paused at its step budget (a program that never rests).
    #[prop_or_default]
    pub paused_at_budget: bool,
    /// What was asked for waits for the Python interpreter to arrive.
    #[prop_or_default]
    pub waiting_for_python: bool,
    pub dispatch: Callback<Action>,
}

/// Small inline icons, so the buttons never depend on a font having the glyph.
pub fn icon(name: &str) -> Html {
    // The markup is the browser's to parse (one `innerHTML`, not two
    // elements and eight attributes made one call at a time); it is fixed
    // text, never anything a learner typed.
    macro_rules! svg {
        ($path:literal) => {
            concat!(
                r#"<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path d=""#,
                $path,
                r#"" fill="currentColor"/></svg>"#
            )
        };
    }
    let svg: &'static str = match name {
        "play" => svg!("M5 3l9 5-9 5z"),
        "pause" => svg!("M4 3h3v10H4zM9 3h3v10H9z"),
        "step" => svg!("M3 3l7 5-7 5zM11 3h2v10h-2z"),
        "back" => svg!("M13 3L6 8l7 5zM3 3h2v10H3z"),
        "reset" => svg!("M8 3a5 5 0 1 1-4.6 3H1.5L4.5 2l3 4H5.6A3.2 3.2 0 1 0 8 4.8z"),
        // A ring (its inner circle wound the other way) around an "i".
        "info" => svg!("M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM8 2.5a5.5 5.5 0 1 1 0 11a5.5 5.5 0 1 1 0-11zM7.2 7h1.6v4.5H7.2zM8 4a1 1 0 1 1 0 2a1 1 0 1 1 0-2z"),
        _ => svg!("M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zm0 2v8a4 4 0 0 0 0-8z"),
    };
    Html::from_html_unchecked(AttrValue::Static(svg))
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let lang = props.lang;
    let d = props.dispatch.clone();
    let send = move |a: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.emit(a.clone()))
    };
    let on_scrub = {
        let d = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(step) = input.value().parse::<u64>() {
                d.emit(Action::Seek(step));
            }
        })
    };
    let on_speed = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(speed) = Speed::from_code(&input.value()) {
                d.emit(Action::SetSpeed(speed));
            }
        })
    };
    let end = props
        .total
        .unwrap_or(props.horizon)
        .max(props.horizon)
        .max(props.step);
    let total_text = match props.total {
        Some(t) if props.open => format!("{}+", t.max(props.step)),
        Some(t) => t.max(props.step).to_string(),
        None => "…".into(),
    };
    let count = i18n::step_of_label(lang, props.step, &total_text);
    let play_label = if props.playing {
        i18n::PAUSE
    } else {
        i18n::PLAY
    };
    html! {
        <nav class="controls" aria-label={i18n::CONTROLS.get(lang)}>
            <button class="btn-reset" onclick={send(Action::Reset)} aria-label={i18n::RESET.get(lang)} title={i18n::RESET.get(lang)}>{ icon("reset") }</button>
            <button class="btn-back" onclick={send(Action::StepBack)} disabled={props.step == 0}
                    aria-label={i18n::STEP_BACK.get(lang)} title={format!("{} (←)", i18n::STEP_BACK.get(lang))}>{ icon("back") }</button>
            <button class={classes!("btn-play", props.playing.then_some("on"))} onclick={send(Action::TogglePlay)}
                    disabled={props.finished && !props.playing}
                    aria-label={play_label.get(lang)} title={format!("{} (space)", play_label.get(lang))}>
                { icon(if props.playing { "pause" } else { "play" }) }
            </button>
            <button class="btn-step" onclick={send(Action::Step)} disabled={props.finished}
                    aria-label={i18n::STEP.get(lang)} title={format!("{} (→)", i18n::STEP.get(lang))}>{ icon("step") }</button>
            <input class="timeline" type="range" min="0" max={end.to_string()}
                   value={props.step.to_string()} oninput={on_scrub} aria-label={i18n::TIMELINE.get(lang)}
                   aria-valuetext={count.clone()} />
            <span class="step-count" aria-live="off">
                <span class="steps">{ count }</span>{ " · " }<span class="sim-time" title={i18n::SIM_TIME_HELP.get(lang)}>{ props.now.clone() }</span>
            </span>
            if props.waiting_for_python {
                <span class="badge python-loading" role="status">{ i18n::PYTHON_LOADING.get(lang) }</span>
            }
            if props.paused_at_budget {
                <span class="badge warn budget" title={i18n::BUDGET_HELP.get(lang)}>{ i18n::BUDGET.get(lang) }</span>
            }
            <label class="speed">
                <span>{ i18n::SPEED.get(lang) }</span>
                <select onchange={on_speed} aria-label={i18n::SPEED.get(lang)}>
                    { for Speed::ALL.iter().map(|s| html! {
                        <option value={s.code()} selected={*s == props.speed}>{ s.label() }</option>
                    }) }
                </select>
            </label>
        </nav>
    }
}
