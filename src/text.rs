//! The two languages sockscope speaks, and the one type that carries a text
//! in both.
//!
//! Every sentence a learner reads exists in Chinese and in English: lesson
//! titles and intros, the reasons an action was refused, the app's labels.
//! They are all a [`Text`]: static ones are `Text<&'static str>` (the
//! default, `Copy`, usable in `const` items), ones built at run time are
//! `Text<String>`. A missing translation is then a compile error, not an
//! English sentence in the Chinese app. Narrations are the exception that
//! proves the rule: they are formatted on demand for one [`Lang`], because
//! the UI only ever shows one.

use serde::{Deserialize, Serialize};

/// The language of narrations, texts and the lessons' programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// The code used in `?lang=` and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses `zh`, `zh-CN`, `en`, `en-US`… (case-insensitive); `None` for anything else.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// A text in both languages. Chinese comes first, as in the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text<S = &'static str> {
    pub zh: S,
    pub en: S,
}

impl Text {
    /// A text written into the program.
    pub const fn new(zh: &'static str, en: &'static str) -> Self {
        Text { zh, en }
    }
}

impl Text<String> {
    /// A text made at run time.
    pub fn owned(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl<S: Clone> Text<S> {
    /// The text in `lang` (a copy for `&'static str`, a clone for `String`).
    pub fn get(&self, lang: Lang) -> S {
        match lang {
            Lang::Zh => self.zh.clone(),
            Lang::En => self.en.clone(),
        }
    }
}

impl<S: AsRef<str>> Text<S> {
    /// The text in `lang`, borrowed.
    pub fn as_str(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => self.zh.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }
}

impl From<Text> for Text<String> {
    fn from(t: Text) -> Self {
        Text::owned(t.zh, t.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_gives_the_language_asked_for() {
        const HELLO: Text = Text::new("你好", "hello");
        assert_eq!(
            (HELLO.get(Lang::Zh), HELLO.get(Lang::En)),
            ("你好", "hello")
        );
        let made = Text::owned(format!("第 {} 个", 2), format!("number {}", 2));
        assert_eq!(made.as_str(Lang::En), "number 2");
        assert_eq!(Text::<String>::from(HELLO).get(Lang::Zh), "你好");
    }

    #[test]
    fn language_tags_are_read_leniently_and_codes_round_trip() {
        for (tag, want) in [
            ("zh", Some(Lang::Zh)),
            ("zh-CN", Some(Lang::Zh)),
            ("ZH_tw", Some(Lang::Zh)),
            ("en-US", Some(Lang::En)),
            ("fr", None),
            ("", None),
        ] {
            assert_eq!(Lang::from_tag(tag), want, "{tag}");
        }
        for l in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_tag(l.code()), Some(l));
            assert_eq!(l.other().other(), l);
        }
    }
}
