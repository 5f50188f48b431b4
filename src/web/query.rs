//! The app's state in the URL query: what a share link or an embed carries.
//!
//! Parsing never fails as a whole: each parameter that cannot be understood
//! is dropped and reported in [`UrlState::problems`], so a tampered link still
//! opens the app (with a message) instead of a blank page.

use super::i18n::Lang;
use crate::sim::run::Recorded;
use crate::sim::LessonId;
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};

/// The longest action list a link may carry; a longer one is ignored.
pub const MAX_ACTIONS: usize = 500;

/// What the query string asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlState {
    /// `?lang=zh|en`; `None` means "use the browser's language".
    pub lang: Option<Lang>,
    /// `?embed=1`: hide the chrome for an iframe.
    pub embed: bool,
    /// `?lesson=echo`
    pub lesson: Option<LessonId>,
    /// `?seed=42`
    pub seed: Option<u64>,
    /// `?actions=[{"step":3,"action":{"a":"add-client"}},…]`: the learner's actions.
    pub actions: Vec<Recorded>,
    /// `?step=120`: where the run was.
    pub step: Option<u64>,
    /// Parameters that were present but not understood, as `name=value`.
    pub problems: Vec<String>,
}

/// Splits a query string (with or without the leading `?`) into decoded pairs.
/// Invalid percent-escapes and invalid UTF-8 are decoded lossily, never rejected.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

impl UrlState {
    /// Reads the state from a query string. Never panics, whatever the input.
    pub fn parse(query: &str) -> UrlState {
        let mut state = UrlState::default();
        for (key, value) in pairs(query) {
            let bad = || state_problem(&key, &value);
            match key.as_str() {
                "lang" => match Lang::from_tag(&value) {
                    Some(lang) => state.lang = Some(lang),
                    None => state.problems.push(bad()),
                },
                "embed" => match value.as_str() {
                    "1" | "true" | "" => state.embed = true,
                    "0" | "false" => state.embed = false,
                    _ => state.problems.push(bad()),
                },
                "lesson" => match LessonId::from_slug(&value) {
                    Some(lesson) => state.lesson = Some(lesson),
                    None => state.problems.push(bad()),
                },
                "seed" => match value.parse::<u64>() {
                    Ok(seed) => state.seed = Some(seed),
                    Err(_) => state.problems.push(bad()),
                },
                "step" => match value.parse::<u64>() {
                    Ok(step) => state.step = Some(step),
                    Err(_) => state.problems.push(bad()),
                },
                "actions" => match super::json::from_str::<Vec<Recorded>>(&value) {
                    Some(actions) if actions.len() <= MAX_ACTIONS => state.actions = actions,
                    _ => state.problems.push("actions=…".to_string()),
                },
                _ => state.problems.push(bad()),
            }
        }
        state
    }
}

/// How an unusable parameter is named in the message (long values cut short).
fn state_problem(key: &str, value: &str) -> String {
    let value: String = value.chars().take(40).collect();
    if value.is_empty() {
        key.to_string()
    } else {
        format!("{key}={value}")
    }
}

/// Writes the query string that restores a run exactly.
pub fn share_query(
    lang: Lang,
    lesson: LessonId,
    seed: u64,
    actions: &[Recorded],
    step: u64,
    embed: bool,
) -> String {
    let mut q = format!(
        "?lesson={}&seed={seed}&step={step}&lang={}",
        lesson.slug(),
        lang.code()
    );
    if !actions.is_empty() {
        let json = serde_json::to_string(actions).unwrap_or_default();
        q.push_str("&actions=");
        q.extend(utf8_percent_encode(&json, NON_ALPHANUMERIC));
    }
    if embed {
        q.push_str("&embed=1");
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim;

    #[test]
    fn reads_lang_and_embed() {
        let s = UrlState::parse("?lang=en&embed=1");
        assert_eq!(s.lang, Some(Lang::En));
        assert!(s.embed);
        assert!(s.problems.is_empty());
    }

    #[test]
    fn unknown_or_bad_parameters_are_reported_not_fatal() {
        let s = UrlState::parse("lang=klingon&embed=maybe&%ZZ=%FF%FE&&=");
        assert_eq!(s.lang, None);
        assert!(!s.embed);
        assert_eq!(s.problems.len(), 3, "{:?}", s.problems);
        assert_eq!(s.problems[0], "lang=klingon");
    }

    #[test]
    fn a_share_query_round_trips() {
        let actions = vec![
            Recorded {
                step: 3,
                action: sim::Action::AddClient,
                settled: false,
            },
            Recorded {
                step: 9,
                action: sim::Action::Send {
                    client: 1,
                    text: "你好 & bye?".into(),
                },
                settled: true,
            },
        ];
        let q = share_query(Lang::Zh, LessonId::Sandbox, 77, &actions, 42, true);
        let s = UrlState::parse(&q);
        assert_eq!(s.lesson, Some(LessonId::Sandbox));
        assert_eq!(s.seed, Some(77));
        assert_eq!(s.step, Some(42));
        assert_eq!(s.lang, Some(Lang::Zh));
        assert_eq!(s.actions, actions);
        assert!(s.embed);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn a_tampered_action_list_is_reported_and_dropped() {
        let s = UrlState::parse(
            "lesson=echo&actions=%5B%7B%22step%22%3A1%2C%22action%22%3A%7B%22a%22%3A%22fly%22%7D%7D%5D&seed=-1",
        );
        assert_eq!(s.lesson, Some(LessonId::Echo));
        assert!(s.actions.is_empty());
        assert_eq!(
            s.problems,
            vec!["actions=…".to_string(), "seed=-1".to_string()]
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(query in ".{0,200}") {
            let _ = UrlState::parse(&query);
        }
    }

    #[test]
    fn empty_query_is_the_default() {
        assert_eq!(UrlState::parse(""), UrlState::default());
        assert_eq!(UrlState::parse("?"), UrlState::default());
    }
}
