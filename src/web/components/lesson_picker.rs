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
                html! {
                    <button class={classes!("lesson", current.then_some("current"))}
                            data-lesson={lesson.slug()}
                            aria-pressed={current.to_string()}
                            onclick={Callback::from(move |_| on_pick.emit(lesson))}>
                        if lesson.info().group == Group::Course { <span class="num">{ i + 1 }</span> }
                        { lesson_title(lesson, lang) }
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
}

#[function_component(LessonIntro)]
pub fn lesson_intro(props: &IntroProps) -> Html {
    let intro = props.lesson.info().intro.get(props.lang);
    html! {
        <details class="intro" open=true>
            <summary>{ i18n::WHAT_TO_WATCH.get(props.lang) }{ ": " }{ lesson_title(props.lesson, props.lang) }</summary>
            <p>{ intro }</p>
        </details>
    }
}
