//! What the code panels and the narration show of the threads: their
//! cursors, the exceptions that ended them, who acts in an event, and the
//! programs' text.

use super::super::code_panel::{CodeError, Cursor};
use super::super::narration::Actor;
use super::super::stage::StageData;
use crate::sim::event::ThreadEnd;
use crate::sim::lessons::code::Script;
use crate::sim::os::thread::ThreadState;
use crate::sim::view::{SocketDetail, ThreadView};
use crate::sim::{self, HostId};
use crate::web::i18n::Lang;
use yew::prelude::*;

/// A thread's cursor in the code panel: on its line, in its lane's colour.
/// A thread that has not started or has exited has none.
pub(super) fn cursor(colour: usize, t: &ThreadView, label: String) -> Option<Cursor> {
    if matches!(t.state, ThreadState::Exited { .. }) {
        return None;
    }
    Some(Cursor {
        // Line 0: between statements, on no line of the program.
        line: t.line.filter(|l| *l > 0)?,
        label: label.into(),
        color: colour,
        blocked: matches!(t.state, ThreadState::Blocked { .. }),
    })
}

/// The line of its program each thread that died of an exception was on:
/// the last `File "server.py", line N` of the traceback it printed.
pub(super) fn exception_lines(log: &[sim::Event], data: &StageData) -> Vec<(sim::ThreadId, u32)> {
    use sim::EventKind;
    let mut last: Vec<(HostId, u32)> = Vec::new();
    let mut out = Vec::new();
    for e in log {
        let Some(h) = e.host else { continue };
        match &e.kind {
            EventKind::Console { line, stderr: true } => {
                let file = data
                    .hosts
                    .iter()
                    .find(|x| x.id == h)
                    .and_then(|x| x.code.as_ref())
                    .map(|c| c.file.as_str())
                    .unwrap_or("");
                if let Some(n) = traceback_line(line, file) {
                    last.retain(|(x, _)| *x != h);
                    last.push((h, n));
                }
            }
            EventKind::ThreadEnded {
                end: ThreadEnd::Exception { .. },
                ..
            } => {
                if let (Some(t), Some((_, n))) = (e.thread, last.iter().find(|(x, _)| *x == h)) {
                    out.push((t, *n));
                }
                last.retain(|(x, _)| *x != h);
            }
            _ => {}
        }
    }
    out
}

/// `N` in a traceback line `  File "…server.py", line N, in f` of `file`.
fn traceback_line(text: &str, file: &str) -> Option<u32> {
    let rest = text.trim_start().strip_prefix("File \"")?;
    let (path, rest) = rest.split_once('"')?;
    if file.is_empty() || !(path == file || path.ends_with(&format!("/{file}"))) {
        return None;
    }
    let n = rest.strip_prefix(", line ")?;
    n.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// The exceptions that ended threads of these hosts, at the line each
/// thread was on (the traceback's last line in the program).
pub(super) fn thread_errors(
    threads: &[(usize, ThreadView)],
    raised: &[(sim::ThreadId, u32)],
    hosts: impl Fn(HostId) -> bool,
) -> Vec<CodeError> {
    let mut out: Vec<CodeError> = Vec::new();
    for (_, t) in threads.iter().filter(|(_, t)| hosts(t.host)) {
        if let ThreadState::Exited {
            end: ThreadEnd::Exception { kind, message },
        } = &t.state
        {
            let what = if message.is_empty() {
                kind.clone()
            } else {
                format!("{kind}: {message}")
            };
            let who = if t.host == HostId::SERVER {
                t.name.clone()
            } else {
                t.host.name()
            };
            let line = raised
                .iter()
                .find(|(id, _)| *id == t.id)
                .map(|(_, n)| *n)
                .or(t.line)
                .unwrap_or(1);
            let e = CodeError {
                line,
                text: format!("{who}: {what}").into(),
            };
            if !out.iter().any(|o| o.line == e.line && o.text == e.text) {
                out.push(e);
            }
        }
    }
    out
}

/// Who acts in an event: the thread (in its lane's colour) and, for a
/// server thread with a connection, the peer it serves.
pub(super) fn actor_of(e: &sim::Event, data: &StageData, lang: Lang) -> Option<Actor> {
    let tid = e.thread?;
    let color = data.colour_of(tid)?;
    let t = data.threads.iter().find(|t| t.id == tid)?;
    // A select() serves every client at once: it names none.
    let selecting = matches!(
        &e.kind,
        sim::EventKind::Call { call } | sim::EventKind::Blocked { call, .. } | sim::EventKind::Return { call, .. }
            if matches!(call, sim::event::Call::Select { .. })
    );
    let serving = (t.host == HostId::SERVER && !selecting)
        .then(|| {
            let sock = e.socket.or_else(|| {
                data.uses
                    .iter()
                    .find(|(u, _, _)| *u == tid)
                    .map(|(_, _, s)| *s)
            })?;
            let sockets = data.sockets.first()?;
            sockets
                .iter()
                .find(|s| s.id == sock)
                .and_then(|s| match &s.detail {
                    SocketDetail::Stream(v) => Some(v.remote),
                    _ => None,
                })
        })
        .flatten();
    Some(Actor {
        color,
        label: sim::event::actor(&t.host.name(), &t.name, serving, lang),
    })
}

/// A program's text, shared by every render until the program changes.
pub(super) fn source_text(code: &Option<Script>) -> Option<AttrValue> {
    code.as_ref().map(|c| AttrValue::from(c.source.clone()))
}

#[cfg(test)]
mod tests {
    use super::traceback_line;

    #[test]
    fn the_line_of_a_traceback_in_the_program() {
        let l = "  File \"server.py\", line 14, in handle_client";
        assert_eq!(traceback_line(l, "server.py"), Some(14));
        assert_eq!(
            traceback_line(
                "  File \"/srv/server.py\", line 3, in <module>",
                "server.py"
            ),
            Some(3)
        );
        assert_eq!(
            traceback_line("  File \"socket.py\", line 9, in accept", "server.py"),
            None
        );
        assert_eq!(traceback_line("TypeError: x", "server.py"), None);
    }
}
