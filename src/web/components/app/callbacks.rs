//! The app's callbacks, made once per app.

use crate::sim;
use crate::web::i18n::Lang;
use crate::web::state::{Action, NetTab, State};
use yew::prelude::*;

/// The app's callbacks, made once so that they compare equal across renders.
#[derive(Clone)]
pub(super) struct Callbacks {
    pub(super) dispatch: Callback<Action>,
    pub(super) on_lang: Callback<Lang>,
    pub(super) on_pick: Callback<sim::LessonId>,
    pub(super) on_select_segment: Callback<Option<u64>>,
    pub(super) on_learner: Callback<sim::Action>,
    pub(super) on_toggle: Callback<sim::Category>,
    pub(super) on_jump: Callback<usize>,
    pub(super) on_more_events: Callback<()>,
    pub(super) on_mark: Callback<Option<super::super::network::ByteMark>>,
    pub(super) on_navigate: Callback<String>,
    pub(super) close_overlay: Callback<()>,
    pub(super) on_hover: Callback<Option<sim::ThreadId>>,
    pub(super) on_run_server: Callback<Option<String>>,
    pub(super) on_run_client: Callback<Option<String>>,
    pub(super) on_dismiss_note: Callback<()>,
    pub(super) on_intro: Callback<()>,
    pub(super) on_select_request: Callback<Option<usize>>,
    pub(super) on_tab: Callback<NetTab>,
    pub(super) on_drop: Callback<u64>,
    pub(super) on_answer: Callback<(usize, usize)>,
    pub(super) on_pass: Callback<()>,
    pub(super) on_dismiss_quiz: Callback<()>,
}

impl Callbacks {
    pub(super) fn new(dispatcher: UseReducerDispatcher<State>) -> Callbacks {
        let d = Callback::from(move |a: Action| dispatcher.dispatch(a));
        // Running one edited program keeps the other as it is.
        let run = |server: bool| {
            let d = d.clone();
            Callback::from(move |text: Option<String>| {
                d.emit(Action::RunOne {
                    server,
                    source: text,
                })
            })
        };
        Callbacks {
            on_lang: d.reform(Action::SetLang),
            on_pick: d.reform(Action::SelectLesson),
            on_select_segment: d.reform(Action::SelectSegment),
            on_learner: d.reform(Action::Learner),
            on_toggle: d.reform(Action::ToggleCategory),
            on_jump: d.reform(Action::JumpToEvent),
            on_more_events: d.reform(|_| Action::ShowMoreEvents),
            on_mark: d.reform(Action::Mark),
            on_navigate: d.reform(|url| Action::Learner(sim::Action::Navigate { url })),
            close_overlay: d.reform(|_| Action::ShowOverlay(None)),
            on_hover: d.reform(Action::Hover),
            on_run_server: run(true),
            on_run_client: run(false),
            on_dismiss_note: d.reform(|_| Action::DismissNote),
            on_intro: d.reform(|_| Action::ToggleIntro),
            on_select_request: d.reform(Action::SelectRequest),
            on_tab: d.reform(Action::SetTab),
            on_drop: d.reform(|segment| Action::Learner(sim::Action::DropSegment { segment })),
            on_answer: d.reform(|(checkpoint, choice)| Action::Answer { checkpoint, choice }),
            on_pass: d.reform(|_| Action::PassQuestion),
            on_dismiss_quiz: d.reform(|_| Action::DismissQuiz),
            dispatch: d,
        }
    }
}
