//! The lesson picker and the selected lesson's intro (what to watch).

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
    let info = lesson.info();
    if lang == Lang::Zh {
        info.title_zh
    } else {
        info.title_en
    }
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
                        if lesson != LessonId::Sandbox { <span class="num">{ i + 1 }</span> }
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
    let info = props.lesson.info();
    let intro = if props.lang == Lang::Zh {
        info.intro_zh
    } else {
        info.intro_en
    };
    html! {
        <details class="intro" open=true>
            <summary>{ i18n::WHAT_TO_WATCH.get(props.lang) }{ ": " }{ lesson_title(props.lesson, props.lang) }</summary>
            <p>{ intro }</p>
        </details>
    }
}
