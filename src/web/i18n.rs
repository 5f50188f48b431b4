//! The app's visible strings in Chinese and English. Every string a learner
//! sees comes from [`Text`], so a missing translation is a compile error.

use serde::{Deserialize, Serialize};

/// The two languages of the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Zh,
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

/// A string that exists in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(zh: &'static str, en: &'static str) -> Self {
        Text { zh, en }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

pub const APP_TAGLINE: Text = Text::new(
    "看见 TCP 客户端与服务端如何对话",
    "See how a TCP client and server talk",
);
pub const LANG_SWITCH_LABEL: Text = Text::new("切换到英文", "Switch to Chinese");
pub const LANG_SWITCH_TEXT: Text = Text::new("English", "中文");
pub const STAGE_LABEL: Text = Text::new(
    "舞台：服务器、网络与客户端",
    "Stage: server, wire and clients",
);
pub const STAGE_EMPTY: Text = Text::new(
    "选择一节课，服务器、网络和客户端会出现在这里。",
    "Pick a lesson: the server, the wire and the clients will appear here.",
);
pub const SERVER: Text = Text::new("服务器", "Server");
pub const WIRE: Text = Text::new("网络", "Wire");
pub const CLIENTS: Text = Text::new("客户端", "Clients");
pub const QUERY_PROBLEM: Text = Text::new(
    "链接中有无法识别的部分，已忽略：",
    "Part of the link was not understood and was ignored:",
);
pub const DISMISS: Text = Text::new("知道了", "Dismiss");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_parse_by_their_primary_subtag() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
