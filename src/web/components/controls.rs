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
    /// Steps taken so far, and the furthest step known (for the timeline).
    pub step: u64,
    pub horizon: u64,
    pub speed: Speed,
    /// Simulated time, for display.
    pub now: AttrValue,
    pub dispatch: Callback<Action>,
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
    let play_label = if props.playing {
        i18n::PAUSE
    } else {
        i18n::PLAY
    };
    html! {
        <nav class="controls" aria-label={i18n::CONTROLS.get(lang)}>
            <button class="btn-reset" onclick={send(Action::Reset)} aria-label={i18n::RESET.get(lang)} title={i18n::RESET.get(lang)}>{"⟲"}</button>
            <button class="btn-back" onclick={send(Action::StepBack)} disabled={props.step == 0}
                    aria-label={i18n::STEP_BACK.get(lang)} title={format!("{} (←)", i18n::STEP_BACK.get(lang))}>{"⏮"}</button>
            <button class={classes!("btn-play", props.playing.then_some("on"))} onclick={send(Action::TogglePlay)}
                    disabled={props.finished && !props.playing}
                    aria-label={play_label.get(lang)} title={format!("{} (space)", play_label.get(lang))}>
                { if props.playing { "⏸" } else { "▶" } }
            </button>
            <button class="btn-step" onclick={send(Action::Step)} disabled={props.finished}
                    aria-label={i18n::STEP.get(lang)} title={format!("{} (→)", i18n::STEP.get(lang))}>{"⏭"}</button>
            <input class="timeline" type="range" min="0" max={props.horizon.max(props.step).to_string()}
                   value={props.step.to_string()} oninput={on_scrub} aria-label={i18n::TIMELINE.get(lang)} />
            <span class="step-count" aria-live="off">
                { format!("{} {} · {}", i18n::STEP_WORD.get(lang), props.step, props.now) }
            </span>
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
