//! Runs a lesson of the simulation without a browser, for `sockscope sim`:
//! the lesson plays to its end (the sandbox: until its server waits), then
//! its consoles and event log are printed as text or JSON, or its wire is
//! written as a pcap. With `--quiz`, the lesson's checkpoints are printed
//! among the events: each question before the step it asks about, its
//! answer (judged from the run) after the event that decides it. Everything shown comes from the simulation itself
//! (`Run`, its console lines, each event's narration, `write_pcap`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::sim::net::pcap::write_pcap;
use crate::sim::quiz::{Checkpoint, Verdict};
use crate::sim::{Event, EventKind, HostId, Lang, LessonId, Run, Setup};

/// No lesson needs more steps than this; it guards against a run that never ends.
pub const MAX_STEPS: u64 = 5_000_000;

/// How `sockscope sim` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Plays a lesson (as written, in English) to its end.
pub fn play(lesson: LessonId, seed: u64) -> Run {
    play_setup(Setup::new(lesson, seed))
}

/// Plays a run to its end.
pub fn play_setup(setup: Setup) -> Run {
    let mut run = Run::start(setup);
    run.play(MAX_STEPS);
    run
}

/// The hosts that printed something, in order.
fn console_hosts(events: &[Event]) -> Vec<HostId> {
    let mut hosts: Vec<HostId> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Console { .. }))
        .filter_map(|e| e.host)
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// Writes the lesson list: slug, then the title.
pub fn write_list(lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    for id in LessonId::ALL {
        let info = id.info();
        let title = info.title.get(lang);
        writeln!(out, "{:<14} {title}", info.slug)?;
    }
    Ok(())
}

/// Writes a finished run's consoles and event log.
pub fn write_report(run: &Run, lang: Lang, format: Format, out: &mut dyn Write) -> io::Result<()> {
    write_report_with(run, lang, format, false, out)
}

/// The lesson's checkpoints judged on the run, each with its verdict.
fn checkpoints(run: &Run) -> Vec<(&'static Checkpoint, Verdict)> {
    run.lesson()
        .info()
        .checkpoints
        .iter()
        .map(|cp| (cp, cp.judge(run.log(), run.is_finished())))
        .collect()
}

/// A checkpoint's question and its choices, lettered.
fn write_question(
    n: usize,
    of: usize,
    cp: &Checkpoint,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let label = match lang {
        Lang::Zh => "提问",
        Lang::En => "checkpoint",
    };
    writeln!(out, "\n?? {label} {n}/{of}: {}", cp.question.get(lang))?;
    for (i, c) in cp.choices.iter().enumerate() {
        writeln!(out, "   {}) {}", letter(i), c.text.get(lang))?;
    }
    writeln!(out)
}

/// The answer once the run has shown it: the right choices and why.
fn write_answer(
    n: usize,
    cp: &Checkpoint,
    v: &Verdict,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (answer, skipped) = match lang {
        Lang::Zh => ("答案", "跳过"),
        Lang::En => ("answer", "skipped"),
    };
    match v {
        Verdict::Decided { explain, .. } => {
            let right: Vec<String> = cp
                .right_choices(v)
                .into_iter()
                .map(|i| format!("{}) {}", letter(i), cp.choices[i].text.get(lang)))
                .collect();
            let right = if right.is_empty() {
                "-".to_string()
            } else {
                right.join("; ")
            };
            writeln!(
                out,
                "\n=> {answer} {n}: {right}\n   {}\n",
                explain.as_str(lang)
            )
        }
        Verdict::Skipped { why } => writeln!(out, "\n=> {skipped} {n}: {}\n", why.as_str(lang)),
        Verdict::NotYet | Verdict::Open { .. } => Ok(()),
    }
}

fn letter(i: usize) -> char {
    char::from(b'a' + (i % 26) as u8)
}

/// Writes a finished run's consoles and event log; with `quiz`, the
/// lesson's checkpoints too: each question before the step it asks about,
/// its answer after the event that decides it (no input needed).
pub fn write_report_with(
    run: &Run,
    lang: Lang,
    format: Format,
    quiz: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let events = run.log();
    let hosts = console_hosts(events);
    let judged = if quiz { checkpoints(run) } else { vec![] };
    match format {
        Format::Text => {
            let info = run.lesson().info();
            let title = info.title.get(lang);
            writeln!(out, "# {} ({}), seed {}", title, info.slug, run.seed())?;
            for host in hosts {
                writeln!(out, "\n## console: {}", host.name())?;
                for line in run.console(host) {
                    writeln!(out, "{line}")?;
                }
            }
            writeln!(out, "\n## events ({})", events.len())?;
            let threads = run.world().threads();
            let of = judged.len();
            // A question is asked before the first event of its trigger's step.
            let asked_before: Vec<Option<usize>> = judged
                .iter()
                .map(|(_, v)| {
                    v.asked()
                        .map(|i| events.partition_point(|e| e.step < events[i].step))
                })
                .collect();
            for (i, e) in events.iter().enumerate() {
                for (n, (cp, _)) in judged.iter().enumerate() {
                    if asked_before[n] == Some(i) {
                        write_question(n + 1, of, cp, lang, out)?;
                    }
                }
                let mut who = e.host.map(|h| h.name()).unwrap_or_default();
                // A forked process's thread: the host and the process's PID.
                if let Some(t) = e.thread.and_then(|t| threads.get(t.0 as usize)) {
                    if t.forked {
                        who = format!("{who}[{}]", t.pid);
                    }
                }
                writeln!(
                    out,
                    "{:>12} {:<9} {}",
                    e.at.to_string(),
                    who,
                    e.narration(lang)
                )?;
                for (n, (cp, v)) in judged.iter().enumerate() {
                    if matches!(v, Verdict::Decided { decided, .. } if *decided == i) {
                        write_answer(n + 1, cp, v, lang, out)?;
                    }
                }
            }
            for (n, (cp, v)) in judged.iter().enumerate() {
                if matches!(v, Verdict::Skipped { .. }) {
                    write_question(n + 1, of, cp, lang, out)?;
                    write_answer(n + 1, cp, v, lang, out)?;
                }
            }
        }
        Format::Json => {
            let consoles: BTreeMap<String, Vec<&str>> = hosts
                .into_iter()
                .map(|h| (h.name(), run.console(h)))
                .collect();
            let narrated: Vec<serde_json::Value> = events
                .iter()
                .map(|e| {
                    let mut v = serde_json::to_value(e).unwrap_or(serde_json::Value::Null);
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert("narration".into(), e.narration(lang).into());
                    }
                    v
                })
                .collect();
            let mut doc = serde_json::json!({
                "lesson": run.lesson().slug(),
                "seed": run.seed(),
                "steps": run.current_step(),
                "finished": run.is_finished(),
                "console": consoles,
                "events": narrated,
            });
            if quiz {
                let list: Vec<serde_json::Value> = judged
                    .iter()
                    .map(|(cp, v)| {
                        serde_json::json!({
                            "id": cp.id,
                            "question": cp.question.get(lang),
                            "choices": cp.choices.iter().map(|c| c.text.get(lang)).collect::<Vec<_>>(),
                            "right": cp.right_choices(v),
                            "verdict": v,
                        })
                    })
                    .collect();
                doc["checkpoints"] = list.into();
            }
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// The run's wire as a pcap file.
pub fn pcap(run: &Run) -> Vec<u8> {
    write_pcap(run.log())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_plays_and_reports_in_both_formats() {
        for id in LessonId::ALL {
            let run = play(id, id.info().default_seed);
            let mut text = Vec::new();
            write_report(&run, Lang::En, Format::Text, &mut text).unwrap();
            let text = String::from_utf8(text).unwrap();
            assert!(text.starts_with(&format!("# {} ({})", id.info().title.en, id.slug())));
            let mut json = Vec::new();
            write_report(&run, Lang::Zh, Format::Json, &mut json).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
            assert_eq!(v["lesson"], id.slug());
            assert_eq!(v["events"].as_array().unwrap().len(), run.log().len());
        }
    }

    #[test]
    fn the_echo_lesson_prints_the_shared_console_lines() {
        let run = play(LessonId::Echo, 7);
        let mut text = Vec::new();
        write_report(&run, Lang::En, Format::Text, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        let server = text
            .split("## console: server\n")
            .nth(1)
            .expect("a server console");
        assert!(server.contains("client connected: ("), "{text}");
        assert!(pcap(&run).starts_with(&[0xd4, 0xc3, 0xb2, 0xa1]));
    }
}
