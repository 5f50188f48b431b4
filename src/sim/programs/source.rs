//! The lessons' Python programs, as the code panel shows them.
//!
//! Each program is written once as a list of lines: code (the same in both
//! languages) and a comment in English and in Chinese. Rendering keeps one
//! line per entry in both languages, so a line number means the same line in
//! the zh and the en text, and one cursor works for both. The step machines in
//! [`super`] find their line numbers by looking up the code, so the
//! cursor cannot drift from the text.

use super::texts::*;
use crate::sim::event::Lang;
use serde::{Deserialize, Serialize};

/// How many bytes the browser's `recv` asks for: less than a page, so the
/// lesson shows a response read in pieces.
pub(crate) const BROWSER_RECV: usize = 512;

/// Which program, and the values its source shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "program", rename_all = "kebab-case")]
pub enum ProgramSource {
    /// The `http` lesson's browser.
    Browser {
        host: String,
        port: u16,
        /// The paths it visits on its first connection.
        pages: Vec<String>,
    },
}

fn py_str_list(items: &[String]) -> String {
    let inner: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("[{}]", inner.join(", "))
}

impl ProgramSource {
    fn lines(&self) -> Vec<&'static Line> {
        match self {
            ProgramSource::Browser { .. } => BROWSER.iter().collect(),
        }
    }

    /// The line with its `{PLACEHOLDER}`s replaced by this program's values.
    fn fill(&self, text: &str) -> String {
        let mut s = text.to_string();
        if !text.contains('{') {
            return s;
        }
        match self {
            ProgramSource::Browser { host, port, pages } => {
                s = s
                    .replace("{BROWSER_RECV}", &BROWSER_RECV.to_string())
                    .replace("{HOST}", host)
                    .replace("{PAGES}", &py_str_list(pages))
                    .replace("{PORT}", &port.to_string());
            }
        }
        s
    }

    /// The program's text in one language. Line `n` (1-based) is the same
    /// code line in every language.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let mut push = |code: &str, comment: &str| {
            let code = self.fill(code);
            let comment = self.fill(comment);
            let line = match (code.trim().is_empty(), comment.is_empty()) {
                (_, true) => code.trim_end().to_string(),
                (true, false) => format!("{code}# {comment}"),
                (false, false) => format!("{code}  # {comment}"),
            };
            out.push_str(&line);
            out.push('\n');
        };
        for line in self.lines() {
            push(line.code, if lang == Lang::Zh { line.zh } else { line.en });
        }
        out
    }

    /// The 1-based line whose code contains `needle` (first match; comments
    /// are not searched). Panics if none does: a program step names a line
    /// that is not there.
    pub fn line_of(&self, needle: &str) -> u32 {
        let codes = self.lines().into_iter().map(|l| l.code);
        for (i, code) in codes.enumerate() {
            let code = self.fill(code);
            if !code.trim_start().starts_with('#') && code.contains(needle) {
                return i as u32 + 1;
            }
        }
        panic!("no line contains {needle:?}");
    }
}
