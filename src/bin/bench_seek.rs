//! The simulation-core benchmarks in WebAssembly: builds the reference run
//! (`sim::run::reference_run`, 100,000+ events), replays it from its
//! recording (events per second), then seeks to pseudo-random steps.
//! Writes the figures as JSON into the page; benches/web/seek.mjs reads them.
use sockscope::sim::run::reference_run;
use sockscope::sim::{LessonId, Run, Setup};

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let reference = reference_run(100_000);
    let events = reference.log().len();
    let end = reference.current_step();
    let actions = reference.actions().to_vec();

    let mut replay_ms = Vec::new();
    for _ in 0..5 {
        let t = now_ms();
        let run = Run::replay(Setup::new(LessonId::Sandbox, 1), actions.clone(), end);
        replay_ms.push(now_ms() - t);
        assert_eq!(run.log().len(), events);
    }

    let mut run = reference;
    let mut seek_ms = Vec::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..200 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let target = x % end;
        let t = now_ms();
        run.seek(target);
        seek_ms.push(now_ms() - t);
    }
    let replay = median(replay_ms);
    let result = format!(
        "{{\"events\":{events},\"steps\":{end},\"replay_ms_median\":{replay:.1},\"events_per_second\":{:.0},\"seek_ms_median\":{:.3},\"seek_ms_max\":{:.3}}}",
        events as f64 / replay * 1000.0,
        median(seek_ms.clone()),
        seek_ms.iter().cloned().fold(0.0, f64::max),
    );
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if let Ok(pre) = doc.create_element("pre") {
            pre.set_id("result");
            pre.set_text_content(Some(&result));
            if let Some(body) = doc.body() {
                let _ = body.append_child(&pre);
            }
        }
    }
}
