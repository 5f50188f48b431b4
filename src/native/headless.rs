//! Runs a lesson of the simulation without a browser, for `sockscope sim`:
//! the lesson plays to its end (the sandbox: until its server waits), then
//! its consoles and event log are printed as text or JSON, or its wire is
//! written as a pcap. Everything shown comes from the simulation itself
//! (`Run`, its console lines, each event's narration, `write_pcap`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::sim::net::pcap::write_pcap;
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
    let events = run.log();
    let hosts = console_hosts(events);
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
            for e in events {
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
            let doc = serde_json::json!({
                "lesson": run.lesson().slug(),
                "seed": run.seed(),
                "steps": run.current_step(),
                "finished": run.is_finished(),
                "console": consoles,
                "events": narrated,
            });
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
