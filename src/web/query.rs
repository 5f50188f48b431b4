//! The app's state in the URL query: what a share link or an embed carries.
//!
//! Parsing never fails as a whole: each parameter that cannot be understood
//! is dropped and reported in [`UrlState::problems`], so a tampered link still
//! opens the app (with a message) instead of a blank page.

use super::i18n::Lang;
use super::state::{ByteDisplay, NetTab, Reply, Speed};
use crate::echo::TextEncoding;
use crate::sim::lessons::code::Script;
use crate::sim::run::Recorded;
use crate::sim::LessonId;
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

/// The longest action list a link may carry; a longer one is ignored.
pub const MAX_ACTIONS: usize = 500;

/// The longest `code=` value a link may carry (base64url characters).
pub const MAX_CODE_LINK: usize = 40_000;

/// The longest program a link may restore (characters).
pub const MAX_PROGRAM: usize = 20_000;

/// The learner's programs, as a link carries them: the JSON of this,
/// compressed with deflate-raw and written in base64url (`code=`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EditedCode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<Script>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<Script>,
}

impl EditedCode {
    pub fn is_empty(&self) -> bool {
        self.server.is_none() && self.client.is_none()
    }

    /// Reads the decompressed JSON; `None` if it is not one, or a program
    /// is too long or has a file name other than `server.py`/`client.py`.
    pub fn from_json(text: &str) -> Option<EditedCode> {
        let code: EditedCode = super::json::from_str(text)?;
        let fits = |s: &Option<Script>, file: &str| {
            s.as_ref()
                .is_none_or(|s| s.file == file && s.source.chars().count() <= MAX_PROGRAM)
        };
        (fits(&code.server, "server.py") && fits(&code.client, "client.py")).then_some(code)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// How the view is set up, as a link carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewQuery {
    pub display: ByteDisplay,
    pub decode: Option<TextEncoding>,
    pub speed: Speed,
    pub request: Option<usize>,
    pub tab: NetTab,
}

impl Default for ViewQuery {
    fn default() -> Self {
        ViewQuery {
            display: ByteDisplay::Text,
            decode: None,
            speed: Speed::Normal,
            request: None,
            tab: NetTab::Headers,
        }
    }
}

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
    /// `?code=…`: the learner's programs (see [`EditedCode`]), still compressed.
    pub code: Option<String>,
    /// `?view=hex`
    pub display: Option<ByteDisplay>,
    /// `?decode=utf-8`
    pub decode: Option<TextEncoding>,
    /// `?speed=5`
    pub speed: Option<Speed>,
    /// `?req=2`: the Network panel's selected request.
    pub request: Option<usize>,
    /// `?tab=timing`: the Network panel's tab.
    pub tab: Option<NetTab>,
    /// `?quiz=0`: no checkpoints (a teacher's demo).
    pub quiz_off: bool,
    /// `?quiz=a-_`: the replies to the lesson's checkpoints (a letter per
    /// choice, `-` passed, `_` not asked yet).
    pub replies: Vec<Option<Reply>>,
    /// Parameters that were present but not understood, as `name=value`.
    pub problems: Vec<String>,
}

/// The most checkpoints a link's `quiz=` may carry replies for.
pub const MAX_REPLIES: usize = 32;

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
                "code" => {
                    let b64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
                    if !value.is_empty()
                        && value.len() <= MAX_CODE_LINK
                        && value.chars().all(b64url)
                    {
                        state.code = Some(value);
                    } else {
                        state.problems.push("code=…".to_string());
                    }
                }
                "view" => match value.as_str() {
                    "hex" => state.display = Some(ByteDisplay::Hex),
                    "text" => state.display = Some(ByteDisplay::Text),
                    _ => state.problems.push(bad()),
                },
                "decode" => match value.parse::<TextEncoding>() {
                    Ok(e) => state.decode = Some(e),
                    Err(_) => state.problems.push(bad()),
                },
                "speed" => match Speed::from_code(&value) {
                    Some(s) => state.speed = Some(s),
                    None => state.problems.push(bad()),
                },
                "req" => match value.parse::<usize>() {
                    Ok(r) if r < 10_000 => state.request = Some(r),
                    _ => state.problems.push(bad()),
                },
                "quiz" => match value.as_str() {
                    "0" | "off" | "false" => state.quiz_off = true,
                    "1" | "on" | "true" | "" => state.quiz_off = false,
                    v => {
                        let replies: Option<Vec<Option<Reply>>> =
                            v.chars().map(Reply::from_code).collect();
                        match replies {
                            Some(r) if r.len() <= MAX_REPLIES => state.replies = r,
                            _ => state.problems.push(bad()),
                        }
                    }
                },
                "tab" => match NetTab::from_code(&value) {
                    Some(t) => state.tab = Some(t),
                    None => state.problems.push(bad()),
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

/// What a share link holds.
pub struct Share<'a> {
    pub lang: Lang,
    pub lesson: LessonId,
    pub seed: u64,
    pub actions: &'a [Recorded],
    pub step: u64,
    /// The edited programs, compressed (`code=`).
    pub code: Option<&'a str>,
    pub view: ViewQuery,
    pub embed: bool,
    /// `quiz=`: off (`0`), or the checkpoints' replies.
    pub quiz: Option<String>,
}

/// Writes the query string that restores a run exactly, and the view.
pub fn share_query(s: &Share<'_>) -> String {
    let mut q = format!(
        "?lesson={}&seed={}&step={}&lang={}",
        s.lesson.slug(),
        s.seed,
        s.step,
        s.lang.code()
    );
    if !s.actions.is_empty() {
        let json = serde_json::to_string(s.actions).unwrap_or_default();
        q.push_str("&actions=");
        q.extend(utf8_percent_encode(&json, NON_ALPHANUMERIC));
    }
    if let Some(code) = s.code {
        q.push_str("&code=");
        q.push_str(code);
    }
    let v = &s.view;
    if v.display == ByteDisplay::Hex {
        q.push_str("&view=hex");
    }
    if let Some(d) = v.decode {
        q.push_str("&decode=");
        q.push_str(d.python_name());
    }
    if v.speed != Speed::Normal {
        q.push_str("&speed=");
        q.push_str(v.speed.code());
    }
    if let Some(r) = v.request {
        q.push_str(&format!("&req={r}"));
    }
    if v.tab != NetTab::Headers {
        q.push_str("&tab=");
        q.push_str(v.tab.code());
    }
    if s.embed {
        q.push_str("&embed=1");
    }
    if let Some(quiz) = &s.quiz {
        q.push_str("&quiz=");
        q.push_str(quiz);
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
        let q = share_query(&Share {
            lang: Lang::Zh,
            lesson: LessonId::Sandbox,
            seed: 77,
            actions: &actions,
            step: 42,
            code: Some("q1ZKLkpNLElNUbJSKs7PTVWyUlIqz8ksSlXSUcpMUbIyNDIzMLAwtTQ0sTQ0NDKzsLC0BAA"),
            view: ViewQuery {
                display: ByteDisplay::Hex,
                decode: Some(TextEncoding::Utf8),
                speed: Speed::Fast,
                request: Some(2),
                tab: NetTab::Timing,
            },
            embed: true,
            quiz: Some("b-_".into()),
        });
        let s = UrlState::parse(&q);
        assert_eq!(
            s.replies,
            vec![Some(Reply::Chose(1)), Some(Reply::Passed), None]
        );
        assert!(!s.quiz_off);
        assert_eq!(s.lesson, Some(LessonId::Sandbox));
        assert_eq!(s.seed, Some(77));
        assert_eq!(s.step, Some(42));
        assert_eq!(s.lang, Some(Lang::Zh));
        assert_eq!(s.actions, actions);
        assert!(s.embed);
        assert_eq!(s.display, Some(ByteDisplay::Hex));
        assert_eq!(s.decode, Some(TextEncoding::Utf8));
        assert_eq!(s.speed, Some(Speed::Fast));
        assert_eq!(s.request, Some(2));
        assert_eq!(s.tab, Some(NetTab::Timing));
        assert!(s.code.as_deref().is_some_and(|c| c.starts_with("q1ZK")));
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn a_code_value_that_is_not_base64url_is_reported() {
        let s = UrlState::parse("?code=abc%2Bdef&view=sideways");
        assert_eq!(s.code, None);
        assert_eq!(
            s.problems,
            vec!["code=…".to_string(), "view=sideways".into()]
        );
    }

    #[test]
    fn edited_code_reads_back_and_refuses_what_it_cannot_run() {
        let code = EditedCode {
            server: Some(Script {
                file: "server.py".into(),
                source: "print('hi')\n".into(),
            }),
            client: None,
        };
        assert_eq!(EditedCode::from_json(&code.to_json()), Some(code));
        assert_eq!(
            EditedCode::from_json(r#"{"server":{"file":"../etc/passwd","source":""}}"#),
            None
        );
        assert_eq!(EditedCode::from_json("[1,2]"), None);
        let long = "x".repeat(MAX_PROGRAM + 1);
        let json = format!(r#"{{"client":{{"file":"client.py","source":"{long}"}}}}"#);
        assert_eq!(EditedCode::from_json(&json), None);
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
    fn quiz_0_turns_the_checkpoints_off_and_a_bad_value_is_reported() {
        assert!(UrlState::parse("?quiz=0").quiz_off);
        assert!(!UrlState::parse("?quiz=1").quiz_off);
        let s = UrlState::parse("?quiz=a%3F");
        assert!(s.replies.is_empty());
        assert_eq!(s.problems, vec!["quiz=a?".to_string()]);
    }

    #[test]
    fn empty_query_is_the_default() {
        assert_eq!(UrlState::parse(""), UrlState::default());
        assert_eq!(UrlState::parse("?"), UrlState::default());
    }
}
