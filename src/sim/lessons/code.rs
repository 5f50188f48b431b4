//! The lessons' Python programs, in Chinese and English.
//!
//! Each program is a pair of real Python files in `lessons/py/`, one per
//! language: the same code on the same lines, with the comments and the
//! strings it prints written in that language, as a course in that language
//! would write them. A `{NAME}` in the text is filled from the lesson's
//! values (port, backlog, recv size…); a line whose placeholder has no value
//! (`{SLEEP}` in a server that does not sleep) is left out.

use crate::text::{Lang, Text};

/// A program of the lessons: its file name and its text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// The name the traceback and the code panel show: `server.py`.
    pub file: &'static str,
    pub text: Text,
}

macro_rules! template {
    ($name:ident, $file:literal, $stem:literal) => {
        pub const $name: Template = Template {
            file: $file,
            text: Text::new(
                include_str!(concat!("py/", $stem, ".zh.py")),
                include_str!(concat!("py/", $stem, ".en.py")),
            ),
        };
    };
}

template!(ECHO_SERVER, "server.py", "echo_server");
template!(CLIENT_SCRIPTED, "client.py", "client_scripted");
template!(CLIENT_BURST, "client.py", "client_burst");
template!(CLIENT_INTERACTIVE, "client.py", "client_interactive");
template!(WEB_SERVER, "server.py", "web_server");

/// Every template, for the tests.
pub const ALL: [Template; 5] = [
    ECHO_SERVER,
    CLIENT_SCRIPTED,
    CLIENT_BURST,
    CLIENT_INTERACTIVE,
    WEB_SERVER,
];

impl Template {
    /// The program in `lang` with each `{NAME}` replaced by its value; a
    /// line naming a placeholder whose value is `None` is left out.
    pub fn render(&self, lang: Lang, values: &[(&str, Option<String>)]) -> String {
        let mut out = String::new();
        'lines: for line in self.text.get(lang).lines() {
            let mut line = line.to_string();
            for (name, value) in values {
                let key = format!("{{{name}}}");
                if line.contains(&key) {
                    match value {
                        Some(v) => line = line.replace(&key, v),
                        None => continue 'lines,
                    }
                }
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

/// A Python list of strings, as `MESSAGES = [...]` shows it.
pub fn py_str_list(items: &[String]) -> String {
    let inner: Vec<String> = items
        .iter()
        .map(|s| crate::pyrepr::py_str_repr(s))
        .collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line's code with its comment and the insides of its string
    /// literals taken out: what must be the same in both languages.
    fn skeleton(line: &str) -> String {
        let mut out = String::new();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    out.push(c);
                }
                Some(_) => {}
                None if c == '#' => break,
                None => {
                    if c == '"' || c == '\'' {
                        quote = Some(c);
                    }
                    out.push(c);
                }
            }
        }
        out.trim_end().to_string()
    }

    #[test]
    fn both_languages_have_the_same_code_on_the_same_lines() {
        for t in ALL {
            let (zh, en): (Vec<&str>, Vec<&str>) =
                (t.text.zh.lines().collect(), t.text.en.lines().collect());
            assert_eq!(zh.len(), en.len(), "{}: line counts differ", t.file);
            for (n, (a, b)) in zh.iter().zip(&en).enumerate() {
                assert_eq!(skeleton(a), skeleton(b), "{} line {}", t.file, n + 1);
            }
        }
    }

    #[test]
    fn placeholders_are_filled_and_a_line_without_a_value_is_left_out() {
        let values = [
            ("REPLY", Some("ok".to_string())),
            ("ENCODING", Some("gbk".to_string())),
            ("SLEEP", None),
            ("RECV", Some("8".to_string())),
            ("PORT", Some("8080".to_string())),
            ("BACKLOG", Some("128".to_string())),
        ];
        let text = ECHO_SERVER.render(Lang::En, &values);
        assert!(
            text.contains("data = conn.recv(8)  # blocks until the kernel has bytes; at most 8")
        );
        assert!(!text.contains("sleep("), "no sleep line without a value");
        assert!(!text.contains('{'), "every placeholder filled: {text}");
        assert_eq!(
            text.lines().count() + 1,
            ECHO_SERVER.text.en.lines().count()
        );
    }

    #[test]
    fn message_lists_are_python_literals() {
        let list = py_str_list(&["你好".into(), "it's".into()]);
        assert_eq!(list, "['你好', \"it's\"]");
    }
}
