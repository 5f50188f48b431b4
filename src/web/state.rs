//! The app state and the actions that change it (the reducer pattern of
//! Yew's `function_todomvc` example). Components dispatch [`Action`]s; only
//! [`State::reduce`](yew::Reducible::reduce) changes the state.

use super::i18n::Lang;
use super::query::UrlState;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub embed: bool,
    /// Parts of the link that were not understood, shown until dismissed.
    pub problems: Vec<String>,
}

impl State {
    /// The first state, from the URL and the browser's language.
    pub fn new(url: UrlState, browser_lang: Option<Lang>) -> State {
        State {
            lang: url.lang.or(browser_lang).unwrap_or_default(),
            embed: url.embed,
            problems: url.problems,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    DismissProblems,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => next.lang = lang,
            Action::DismissProblems => next.problems.clear(),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_language_wins_over_the_browser_language() {
        let url = UrlState::parse("lang=en");
        assert_eq!(State::new(url, Some(Lang::Zh)).lang, Lang::En);
        assert_eq!(
            State::new(UrlState::default(), Some(Lang::En)).lang,
            Lang::En
        );
        assert_eq!(State::new(UrlState::default(), None).lang, Lang::Zh);
    }

    #[test]
    fn switching_language_keeps_everything_else() {
        let s = Rc::new(State::new(UrlState::parse("embed=1&x=y"), None));
        let t = s.clone().reduce(Action::SetLang(Lang::En));
        assert_eq!(t.lang, Lang::En);
        assert!(t.embed);
        assert_eq!(t.problems, s.problems);
    }
}
