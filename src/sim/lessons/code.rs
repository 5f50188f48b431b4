//! The lessons' Python programs, in Chinese and English.
//!
//! Each program is a pair of real Python files in `lessons/py/`, one per
//! language: the same code on the same lines, with the comments and the
//! strings it prints written in that language, as a course in that language
//! would write them. A `{NAME}` in the text is filled from the lesson's
//! values (port, backlog, recv size…); a line whose placeholder has no value
//! (`{SLEEP}` in a server that does not sleep) is left out.

use crate::echo::TextEncoding;
use crate::sim::time::Duration;
use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};

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
template!(LOSS_SERVER, "server.py", "loss_server");
template!(LOSS_CLIENT, "client.py", "loss_client");
template!(SELECT_SERVER, "server.py", "select_server");
template!(PROCESSES_SERVER, "server.py", "processes_server");
template!(RESET_SERVER, "server.py", "reset_server");
template!(RESET_CLIENT, "client.py", "reset_client");
template!(HALF_CLOSE_SERVER, "server.py", "half_close_server");
template!(HALF_CLOSE_CLIENT, "client.py", "half_close_client");
template!(BUSY_LOOP_SERVER, "server.py", "busy_loop_server");
template!(BUSY_LOOP_CLIENT, "client.py", "busy_loop_client");
template!(DAEMON_SERVER, "server.py", "daemon_server");
template!(DAEMON_CLIENT, "client.py", "daemon_client");
template!(BACKLOG_SERVER, "server.py", "backlog_server");
template!(BACKLOG_CLIENT, "client.py", "backlog_client");
template!(REUSE_ADDR_SERVER, "server.py", "reuse_addr_server");
template!(REUSE_ADDR_CLIENT, "client.py", "reuse_addr_client");

/// Every template, for the tests.
pub const ALL: [Template; 21] = [
    ECHO_SERVER,
    CLIENT_SCRIPTED,
    CLIENT_BURST,
    CLIENT_INTERACTIVE,
    WEB_SERVER,
    LOSS_SERVER,
    LOSS_CLIENT,
    SELECT_SERVER,
    PROCESSES_SERVER,
    RESET_SERVER,
    RESET_CLIENT,
    HALF_CLOSE_SERVER,
    HALF_CLOSE_CLIENT,
    BUSY_LOOP_SERVER,
    BUSY_LOOP_CLIENT,
    DAEMON_SERVER,
    DAEMON_CLIENT,
    BACKLOG_SERVER,
    BACKLOG_CLIENT,
    REUSE_ADDR_SERVER,
    REUSE_ADDR_CLIENT,
];

/// How many clients the backlog lesson's server serves before it stops.
pub const BACKLOG_CLIENTS: usize = 5;

/// The port every lesson's server listens on and its clients connect to.
/// The course's own server binds 9090, so a learner who pastes it into a
/// lesson needs to change nothing; the native echo server's default is the
/// same port.
pub const LESSON_PORT: u16 = 9090;

/// The address of every lesson's server (the first host).
pub const LESSON_SERVER_IP: &str = "10.0.0.1";

/// A program of the "mistakes" lessons in `lang`, for a server at
/// `server_ip`:`port` (its `{SERVER_IP}` and `{PORT}`; `{CLIENTS}`, the
/// clients the backlog lesson's server serves, is 5).
pub fn program(t: Template, lang: Lang, server_ip: &str, port: u16) -> Script {
    let values = [
        ("PORT", Some(port.to_string())),
        ("SERVER_IP", Some(server_ip.to_string())),
        ("CLIENTS", Some(BACKLOG_CLIENTS.to_string())),
    ];
    Script {
        file: t.file.to_string(),
        source: t.render(lang, &values),
    }
}

/// A program of the "mistakes" lessons as the lessons run it: for their
/// server at [`LESSON_SERVER_IP`]:[`LESSON_PORT`].
pub fn lesson_program(t: Template, lang: Lang) -> Script {
    program(t, lang, LESSON_SERVER_IP, LESSON_PORT)
}

/// The `loss` lesson's two programs: a receiver that counts bytes on
/// `port`, and a client of `server_ip` that sends a report of `lines`
/// lines, pauses, and sends one more.
pub fn loss_programs(lang: Lang, server_ip: &str, port: u16, lines: u32) -> (Script, Script) {
    let values = [
        ("PORT", Some(port.to_string())),
        ("SERVER_IP", Some(server_ip.to_string())),
        ("LINES", Some(lines.to_string())),
    ];
    let script = |t: Template| Script {
        file: t.file.to_string(),
        source: t.render(lang, &values),
    };
    (script(LOSS_SERVER), script(LOSS_CLIENT))
}

impl Template {
    /// The program in `lang` with each `{NAME}` replaced by its value; a
    /// line naming a placeholder whose value is `None` is left out.
    pub fn render(&self, lang: Lang, values: &[(&str, Option<String>)]) -> String {
        let text = self.text.get(lang);
        let keys: Vec<(String, &Option<String>)> = values
            .iter()
            .map(|(name, value)| (format!("{{{name}}}"), value))
            .collect();
        let mut out = String::with_capacity(text.len() + 64);
        'lines: for line in text.lines() {
            if !line.contains('{') {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            let mut line = line.to_string();
            for (key, value) in &keys {
                if line.contains(key.as_str()) {
                    match value {
                        Some(v) => line = line.replace(key.as_str(), v),
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

/// A Python program and the name of its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Script {
    /// `server.py`, `client.py`: what tracebacks and the code panel show.
    pub file: String,
    pub source: String,
}

pub use crate::echo::default_reply;

/// The course's multi-threaded echo server, with the knobs the lessons turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EchoServer {
    pub port: u16,
    pub backlog: u32,
    /// `conn.recv(n)`'s n.
    pub recv: usize,
    /// The handler sleeps this long before every `recv`: a slow reader.
    pub sleep: Option<Duration>,
    /// Serve this many clients, then the main thread ends (`None`: forever).
    pub serve: Option<u32>,
    pub daemon: bool,
    /// `None`: [`default_reply`] in the program's language.
    pub reply: Option<String>,
    pub encoding: TextEncoding,
}

impl Default for EchoServer {
    fn default() -> Self {
        EchoServer {
            port: LESSON_PORT,
            backlog: 128,
            recv: 1024,
            sleep: None,
            serve: None,
            daemon: true,
            reply: None,
            encoding: TextEncoding::Gbk,
        }
    }
}

impl EchoServer {
    /// The course's multi-threaded echo server: a thread per client.
    pub fn script(&self, lang: Lang) -> Script {
        let reply = self.reply.as_deref().unwrap_or(default_reply(lang));
        let looping = match self.serve {
            None => "while True:".to_string(),
            Some(n) => format!("for _ in range({n}):"),
        };
        let source = ECHO_SERVER.render(
            lang,
            &[
                (
                    "REPLY",
                    Some(reply.replace('\\', "\\\\").replace('"', "\\\"")),
                ),
                ("ENCODING", Some(self.encoding.python_name().into())),
                (
                    "SLEEP",
                    self.sleep
                        .map(|d| crate::sim::time::python_seconds(d.total_micros())),
                ),
                ("RECV", Some(self.recv.to_string())),
                ("PORT", Some(self.port.to_string())),
                ("BACKLOG", Some(self.backlog.to_string())),
                ("LOOP", Some(looping)),
                (
                    "DAEMON",
                    Some(if self.daemon { "True" } else { "False" }.into()),
                ),
            ],
        );
        Script {
            file: ECHO_SERVER.file.into(),
            source,
        }
    }
}

impl EchoServer {
    /// The same echo server with a process per client
    /// (`multiprocessing.Process`, forked), the parent closing its copy of
    /// each connection (the `processes` lesson). It uses the port,
    /// backlog, recv size, reply and encoding; it serves forever.
    pub fn processes_script(&self, lang: Lang) -> Script {
        let reply = self.reply.as_deref().unwrap_or(default_reply(lang));
        let source = PROCESSES_SERVER.render(
            lang,
            &[
                (
                    "REPLY",
                    Some(reply.replace('\\', "\\\\").replace('"', "\\\"")),
                ),
                ("ENCODING", Some(self.encoding.python_name().into())),
                ("RECV", Some(self.recv.to_string())),
                ("PORT", Some(self.port.to_string())),
                ("BACKLOG", Some(self.backlog.to_string())),
            ],
        );
        Script {
            file: PROCESSES_SERVER.file.into(),
            source,
        }
    }
}

impl EchoServer {
    /// The same echo server in one thread, as an event loop: a
    /// `selectors.DefaultSelector` over non-blocking sockets (the `select`
    /// lesson). It uses the port, backlog, recv size, reply and encoding;
    /// it serves forever and does not sleep.
    pub fn select_script(&self, lang: Lang) -> Script {
        let reply = self.reply.as_deref().unwrap_or(default_reply(lang));
        let source = SELECT_SERVER.render(
            lang,
            &[
                (
                    "REPLY",
                    Some(reply.replace('\\', "\\\\").replace('"', "\\\"")),
                ),
                ("ENCODING", Some(self.encoding.python_name().into())),
                ("RECV", Some(self.recv.to_string())),
                ("PORT", Some(self.port.to_string())),
                ("BACKLOG", Some(self.backlog.to_string())),
            ],
        );
        Script {
            file: SELECT_SERVER.file.into(),
            source,
        }
    }
}

/// The three client programs of the echo lessons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKind {
    /// send, recv, print, for each message; then close.
    Scripted,
    /// send all, shutdown(SHUT_WR), recv until b"".
    Burst,
    /// reads the learner's commands with input().
    Interactive,
}

/// A client of the echo server. The scripted and burst clients take their
/// messages from the command line (`sys.argv`), so every client of a lesson
/// runs the same `client.py`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EchoClient {
    pub kind: ClientKind,
    pub server_ip: String,
    pub port: u16,
    pub encoding: TextEncoding,
}

impl EchoClient {
    /// A client of the lessons' server ([`LESSON_SERVER_IP`]:[`LESSON_PORT`]) speaking GBK.
    pub fn new(kind: ClientKind) -> EchoClient {
        EchoClient {
            kind,
            server_ip: LESSON_SERVER_IP.into(),
            port: LESSON_PORT,
            encoding: TextEncoding::Gbk,
        }
    }

    pub fn script(&self, lang: Lang) -> Script {
        let template = match self.kind {
            ClientKind::Scripted => CLIENT_SCRIPTED,
            ClientKind::Burst => CLIENT_BURST,
            ClientKind::Interactive => CLIENT_INTERACTIVE,
        };
        let source = template.render(
            lang,
            &[
                ("ENCODING", Some(self.encoding.python_name().into())),
                ("SERVER_IP", Some(self.server_ip.clone())),
                ("PORT", Some(self.port.to_string())),
            ],
        );
        Script {
            file: template.file.into(),
            source,
        }
    }
}

/// The `http` lesson's static web server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebServer {
    pub port: u16,
    pub backlog: u32,
    pub recv: usize,
    /// The site's file names, as the source lists them.
    pub files: Vec<String>,
}

impl WebServer {
    pub fn script(&self, lang: Lang) -> Script {
        let source = WEB_SERVER.render(
            lang,
            &[
                ("FILES", Some(py_str_list(&self.files))),
                ("RECV", Some(self.recv.to_string())),
                ("PORT", Some(self.port.to_string())),
                ("BACKLOG", Some(self.backlog.to_string())),
            ],
        );
        Script {
            file: WEB_SERVER.file.into(),
            source,
        }
    }
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
            ("LOOP", Some("while True:".to_string())),
            ("DAEMON", Some("True".to_string())),
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
