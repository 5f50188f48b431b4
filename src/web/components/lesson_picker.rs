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

/// The lessons of a group, in the picker's order.
fn in_group(group: Group) -> Vec<LessonId> {
    LessonId::ALL
        .iter()
        .copied()
        .filter(|l| l.info().group == group)
        .collect()
}

/// The lessons, grouped: the course's chapter numbered 1, 2, …; the
/// lessons that go further and the common mistakes each behind a menu
/// button (the current lesson's title on it); the sandbox.
#[function_component(LessonPicker)]
pub fn lesson_picker(props: &LessonPickerProps) -> Html {
    let lang = props.lang;
    let open = use_state(|| None::<Group>);
    let button = |lesson: LessonId, label: Html, extra: Option<&'static str>| {
        let on_pick = props.on_pick.clone();
        let open = open.clone();
        let current = lesson == props.lesson;
        let title = lesson_title(lesson, lang);
        html! {
            <button class={classes!("lesson", current.then_some("current"), extra)}
                    data-lesson={lesson.slug()} {title}
                    aria-pressed={current.to_string()}
                    onclick={Callback::from(move |_| { open.set(None); on_pick.emit(lesson) })}>
                { label }
            </button>
        }
    };
    let course = in_group(Group::Course);
    let menu = |group: Group, name: i18n::Text| {
        let lessons = in_group(group);
        if lessons.is_empty() {
            return Html::default();
        }
        let here = lessons.iter().find(|l| **l == props.lesson).copied();
        let is_open = *open == Some(group);
        let toggle = {
            let open = open.clone();
            Callback::from(move |_: MouseEvent| open.set(if is_open { None } else { Some(group) }))
        };
        let close = {
            let open = open.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    open.set(None);
                }
            })
        };
        html! {
            <div class={classes!("lesson-group", here.is_some().then_some("has-current"))} onkeydown={close}>
                <button class={classes!("group-toggle", here.is_some().then_some("current"))}
                        aria-expanded={is_open.to_string()} aria-haspopup="true" onclick={toggle}>
                    { name.get(lang) }
                    if let Some(l) = here { { format!("{}{}", i18n::COLON.get(lang), lesson_title(l, lang)) } }
                    { " ▾" }
                </button>
                if is_open {
                    <div class="group-menu" role="menu">
                        { for lessons.iter().map(|&l| button(l, html! { <span class="lesson-title">{ lesson_title(l, lang) }</span> }, Some("in-menu"))) }
                    </div>
                }
            </div>
        }
    };
    html! {
        <nav class="lesson-picker" aria-label={i18n::LESSONS.get(lang)}>
            <span class="group course" aria-label={i18n::GROUP_COURSE.get(lang)} title={i18n::GROUP_COURSE.get(lang)}>
                { for course.iter().enumerate().map(|(i, &l)| button(l, html! {
                    // Only the current lesson shows its title here (the
                    // others' is their tooltip), so only it has one.
                    <><span class="num">{ i + 1 }</span>if l == props.lesson { <span class="lesson-title">{ lesson_title(l, lang) }</span> }</>
                }, None)) }
            </span>
            { menu(Group::Further, i18n::GROUP_FURTHER) }
            { menu(Group::Mistakes, i18n::GROUP_MISTAKES) }
            { for in_group(Group::Sandbox).into_iter().map(|l| button(l, html! {
                <span class="lesson-title">{ lesson_title(l, lang) }</span>
            }, Some("free"))) }
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
                { super::controls::icon("info") }{ " " }{ i18n::WHAT_TO_WATCH.get(lang) }
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
