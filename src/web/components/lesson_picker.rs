//! The lesson picker and the selected lesson's intro (what to watch).

use crate::sim::lessons::Group;
use crate::sim::LessonId;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPickerProps {
    pub lang: Lang,
    pub lesson: LessonId,
    pub on_pick: Callback<LessonId>,
}

pub fn lesson_title(lesson: LessonId, lang: Lang) -> &'static str {
    lesson.info().title.get(lang)
}

#[function_component(LessonPicker)]
pub fn lesson_picker(props: &LessonPickerProps) -> Html {
    let lang = props.lang;
    html! {
        <nav class="lesson-picker" aria-label={i18n::LESSONS.get(lang)}>
            { for LessonId::ALL.iter().enumerate().map(|(i, &lesson)| {
                let on_pick = props.on_pick.clone();
                let current = lesson == props.lesson;
                let title = lesson_title(lesson, lang);
                let course = lesson.info().group == Group::Course;
                html! {
                    <button class={classes!("lesson", current.then_some("current"), (!course).then_some("free"))}
                            data-lesson={lesson.slug()} {title}
                            aria-pressed={current.to_string()}
                            onclick={Callback::from(move |_| on_pick.emit(lesson))}>
                        if course { <span class="num">{ i + 1 }</span> }
                        <span class="lesson-title">{ title }</span>
                    </button>
                }
            }) }
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct IntroProps {
    pub lang: Lang,
    pub lesson: LessonId,
    pub open: bool,
    pub on_toggle: Callback<()>,
}

/// The lesson's intro (what to watch): a button that opens it over the
/// stage, in the app and in an embed alike.
#[function_component(LessonIntro)]
pub fn lesson_intro(props: &IntroProps) -> Html {
    let lang = props.lang;
    let intro = props.lesson.info().intro.get(lang);
    let toggle = props.on_toggle.reform(|_: MouseEvent| ());
    html! {
        <div class="intro">
            <button class={classes!("intro-toggle", props.open.then_some("on"))} onclick={toggle.clone()}
                    aria-expanded={props.open.to_string()} aria-controls="lesson-intro">
                { "ⓘ " }{ i18n::WHAT_TO_WATCH.get(lang) }
            </button>
            if props.open {
                <section id="lesson-intro" class="intro-pop" aria-label={i18n::WHAT_TO_WATCH.get(lang)}>
                    <h2>{ lesson_title(props.lesson, lang) }</h2>
                    <p>{ intro }</p>
                    <button class="close" onclick={toggle}>{ i18n::CLOSE.get(lang) }</button>
                </section>
            }
        </div>
    }
}
