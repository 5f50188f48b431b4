//! The lessons' Python programs, as the code panel shows them.
//!
//! Each program is written once as a list of lines: code (the same in both
//! languages) and a comment in English and in Chinese. Rendering keeps one
//! line per entry in both languages, so a line number means the same line in
//! the zh and the en text, and one cursor works for both. The step machines in
//! [`super`] find their line numbers by looking up the code, so the
//! cursor cannot drift from the text.

use super::texts::*;
use crate::echo::TextEncoding;
use crate::sim::event::Lang;
use serde::{Deserialize, Serialize};

/// How many bytes the browser's `recv` asks for: less than a page, so the
/// lesson shows a response read in pieces.
pub(crate) const BROWSER_RECV: usize = 512;

/// Which program, and the values its source shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "program", rename_all = "kebab-case")]
pub enum ProgramSource {
    EchoServer {
        port: u16,
        backlog: u32,
        recv_size: usize,
        /// Milliseconds the handler sleeps before each recv (`None`: it does not).
        sleep_ms: Option<u64>,
        /// `None`: `while True:`; `Some(n)`: serve n clients, then main ends.
        serve: Option<u32>,
        daemon: bool,
        reply: String,
        encoding: TextEncoding,
    },
    Client {
        kind: ClientKind,
        messages: Vec<String>,
        server_ip: String,
        port: u16,
        encoding: TextEncoding,
    },
    /// The `http` lesson's threaded static web server.
    WebServer {
        port: u16,
        backlog: u32,
        recv_size: usize,
        /// The site's file names, as the source lists them.
        files: Vec<String>,
    },
    /// The `http` lesson's browser.
    Browser {
        host: String,
        port: u16,
        /// The paths it visits on its first connection.
        pages: Vec<String>,
    },
}

/// The three client programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKind {
    /// send, recv, print, for each message; then close.
    Scripted,
    /// send all, shutdown(SHUT_WR), recv until b"".
    Burst,
    /// waits for the learner.
    Interactive,
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
            ProgramSource::EchoServer { sleep_ms, .. } => SERVER
                .iter()
                .filter(|line| line.only == Only::Always || sleep_ms.is_some())
                .collect(),
            ProgramSource::Client { kind, .. } => {
                let body = match kind {
                    ClientKind::Scripted => CLIENT_SCRIPTED,
                    ClientKind::Burst => CLIENT_BURST,
                    ClientKind::Interactive => CLIENT_INTERACTIVE,
                };
                CLIENT_HEAD.iter().chain(body.iter()).collect()
            }
            ProgramSource::WebServer { .. } => WEB_SERVER.iter().collect(),
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
            ProgramSource::EchoServer {
                port,
                backlog,
                recv_size,
                sleep_ms,
                serve,
                daemon,
                reply,
                encoding,
            } => {
                let sleep = sleep_ms
                    .map(|ms| crate::sim::time::python_seconds(ms * 1000))
                    .unwrap_or_default();
                let lp = match serve {
                    None => "while True:".to_string(),
                    Some(n) => format!("for _ in range({n}):"),
                };
                s = s
                    .replace("{REPLY}", reply)
                    .replace("{ENC}", encoding.python_name())
                    .replace("{SLEEP}", &sleep)
                    .replace("{RECV}", &recv_size.to_string())
                    .replace("{PORT}", &port.to_string())
                    .replace("{BACKLOG}", &backlog.to_string())
                    .replace("{LOOP}", &lp)
                    .replace("{DAEMON}", if *daemon { "True" } else { "False" });
            }
            ProgramSource::Client {
                messages,
                server_ip,
                port,
                encoding,
                ..
            } => {
                s = s
                    .replace("{ENC}", encoding.python_name())
                    .replace("{MESSAGES}", &py_str_list(messages))
                    .replace("{SERVER_IP}", server_ip)
                    .replace("{PORT}", &port.to_string());
            }
            ProgramSource::WebServer {
                port,
                backlog,
                recv_size,
                files,
            } => {
                s = s
                    .replace("{FILES}", &py_str_list(files))
                    .replace("{RECV}", &recv_size.to_string())
                    .replace("{PORT}", &port.to_string())
                    .replace("{BACKLOG}", &backlog.to_string());
            }
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
        if let ProgramSource::Client { kind, .. } = self {
            let (code, en, zh) = CLIENT_TITLE[*kind as usize];
            push(code, if lang == Lang::Zh { zh } else { en });
        }
        for line in self.lines() {
            push(line.code, if lang == Lang::Zh { line.zh } else { line.en });
        }
        out
    }

    /// The 1-based line whose code contains `needle` (first match; comments
    /// are not searched). Panics if none does: a program step names a line
    /// that is not there.
    pub fn line_of(&self, needle: &str) -> u32 {
        let title = match self {
            ProgramSource::Client { kind, .. } => Some(CLIENT_TITLE[*kind as usize].0),
            _ => None,
        };
        let codes = title
            .into_iter()
            .chain(self.lines().into_iter().map(|l| l.code));
        for (i, code) in codes.enumerate() {
            let code = self.fill(code);
            if !code.trim_start().starts_with('#') && code.contains(needle) {
                return i as u32 + 1;
            }
        }
        panic!("no line contains {needle:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(sleep: Option<u64>) -> ProgramSource {
        ProgramSource::EchoServer {
            port: 8080,
            backlog: 128,
            recv_size: 1024,
            sleep_ms: sleep,
            serve: None,
            daemon: true,
            reply: "收到".into(),
            encoding: TextEncoding::Gbk,
        }
    }

    fn all() -> Vec<ProgramSource> {
        let mut v = vec![
            server(None),
            server(Some(1000)),
            ProgramSource::WebServer {
                port: 80,
                backlog: 128,
                recv_size: 1024,
                files: vec!["index.html".into(), "style.css".into()],
            },
            ProgramSource::Browser {
                host: "www.example.test".into(),
                port: 80,
                pages: vec!["/".into(), "/style.css".into()],
            },
        ];
        for kind in [
            ClientKind::Scripted,
            ClientKind::Burst,
            ClientKind::Interactive,
        ] {
            v.push(ProgramSource::Client {
                kind,
                messages: vec!["你好".into(), "a\"b".into()],
                server_ip: "10.0.0.1".into(),
                port: 8080,
                encoding: TextEncoding::Utf8,
            });
        }
        v
    }

    #[test]
    fn zh_and_en_have_the_same_code_on_every_line() {
        for p in all() {
            let (en, zh) = (p.text(Lang::En), p.text(Lang::Zh));
            assert_eq!(en.lines().count(), zh.lines().count());
            for (a, b) in en.lines().zip(zh.lines()) {
                let code = |s: &str| {
                    if s.trim_start().starts_with('#') {
                        String::new()
                    } else {
                        s.split("  #").next().unwrap().to_string()
                    }
                };
                assert_eq!(code(a), code(b));
            }
        }
    }

    #[test]
    fn parameters_show_in_the_source() {
        let text = server(Some(1500)).text(Lang::En);
        assert!(text.contains("REPLY = \"收到\""));
        assert!(text.contains("ENCODING = \"gbk\""));
        assert!(text.contains("time.sleep(1.5)"));
        assert!(!server(None).text(Lang::En).contains("time."));
        let client = &all()[4];
        assert!(client
            .text(Lang::En)
            .contains(r#"MESSAGES = ["你好", "a\"b"]"#));
    }

    #[test]
    fn line_of_agrees_with_the_text_for_every_program_of_every_lesson() {
        for lesson in crate::sim::LessonId::ALL {
            let mut run = crate::sim::Run::new(lesson, lesson.info().default_seed);
            run.apply(crate::sim::Action::AddClient);
            for host in run.world().hosts() {
                let text = host.source.text(Lang::En);
                for (i, line) in text.lines().enumerate() {
                    let code = line.split("  #").next().unwrap_or("").trim();
                    if code.is_empty() || code.starts_with('#') {
                        continue;
                    }
                    let n = host.source.line_of(code);
                    // The first line with that code: this one or an earlier twin.
                    assert!(n as usize <= i + 1, "{lesson:?} {code:?}");
                    let found = text.lines().nth(n as usize - 1).unwrap();
                    assert!(found.contains(code), "{lesson:?} {code:?} -> {found:?}");
                }
            }
        }
    }

    #[test]
    fn line_of_finds_code_not_comments() {
        let s = server(None);
        let n = s.line_of("conn.recv(");
        let text = s.text(Lang::En);
        assert!(text
            .lines()
            .nth(n as usize - 1)
            .unwrap()
            .contains("data = conn.recv(1024)"));
        assert!(s.line_of("server.accept()") > s.line_of("server.listen("));
    }
}
