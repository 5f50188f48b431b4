//! The app's state in the URL query: what a share link or an embed carries.
//!
//! Parsing never fails as a whole: each parameter that cannot be understood
//! is dropped and reported in [`UrlState::problems`], so a tampered link still
//! opens the app (with a message) instead of a blank page.

use super::i18n::Lang;
use percent_encoding::percent_decode_str;

/// What the query string asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlState {
    /// `?lang=zh|en`; `None` means "use the browser's language".
    pub lang: Option<Lang>,
    /// `?embed=1`: hide the chrome for an iframe.
    pub embed: bool,
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
        .collect()
}

impl UrlState {
    /// Reads the state from a query string. Never panics, whatever the input.
    pub fn parse(query: &str) -> UrlState {
        let mut state = UrlState::default();
        for (key, value) in pairs(query) {
            match key.as_str() {
                "lang" => match Lang::from_tag(&value) {
                    Some(lang) => state.lang = Some(lang),
                    None => state.problems.push(format!("lang={value}")),
                },
                "embed" => match value.as_str() {
                    "1" | "true" | "" => state.embed = true,
                    "0" | "false" => state.embed = false,
                    _ => state.problems.push(format!("embed={value}")),
                },
                _ => state.problems.push(if value.is_empty() {
                    key
                } else {
                    format!("{key}={value}")
                }),
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn empty_query_is_the_default() {
        assert_eq!(UrlState::parse(""), UrlState::default());
        assert_eq!(UrlState::parse("?"), UrlState::default());
    }
}
