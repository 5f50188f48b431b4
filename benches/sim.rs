//! Simulation-core benchmarks: `cargo bench --bench sim`.
//!
//! - `events_per_second`: steps a 100,000-event sandbox run (many interactive
//!   clients exchanging messages) from the start; divan reports the time per
//!   run, and the figure divided by the event count gives events per second
//!   (printed once at the start).
//! - `events_per_second_loss_10`: the same script run on a network that
//!   loses 10 % of the segments (seeded; retransmissions, duplicate ACKs
//!   and timers), its recording replayed.
//! - `seek_random_step`: in a recorded run of at least 100,000 events, jumps to
//!   an arbitrary step (restore the nearest snapshot, replay).

use sockscope::sim::run::{reference_run, reference_run_on};
use sockscope::sim::{LessonId, Run, Setup};

fn main() {
    let (run, events) = big_run();
    eprintln!(
        "reference run: {} steps, {events} events",
        run.current_step()
    );
    let lossy = reference_run_on(lossy_setup(), 100_000);
    eprintln!(
        "with 10 % loss: {} steps, {} events",
        lossy.current_step(),
        lossy.log().len()
    );
    divan::main();
}

/// The reference run (see [`reference_run`]) and its event count.
fn big_run() -> (Run, usize) {
    let run = reference_run(100_000);
    let n = run.log().len();
    (run, n)
}

#[divan::bench(sample_count = 10)]
fn events_per_second(bencher: divan::Bencher) {
    let (reference, events) = big_run();
    let actions = reference.actions().to_vec();
    let end = reference.current_step();
    bencher
        .counter(divan::counter::ItemsCount::new(events))
        .bench(|| {
            Run::replay(Setup::new(LessonId::Sandbox, 1), actions.clone(), end)
                .log()
                .len()
        });
}

/// The reference run made on a network that loses 10 % of the segments
/// (the same learner's script, its own recording).
fn lossy_setup() -> Setup {
    Setup {
        loss: Some(10),
        ..Setup::new(LessonId::Sandbox, 1)
    }
}

#[divan::bench(sample_count = 10)]
fn events_per_second_loss_10(bencher: divan::Bencher) {
    let reference = reference_run_on(lossy_setup(), 100_000);
    let events = reference.log().len();
    let actions = reference.actions().to_vec();
    let end = reference.current_step();
    bencher
        .counter(divan::counter::ItemsCount::new(events))
        .bench(|| Run::replay(lossy_setup(), actions.clone(), end).log().len());
}

#[divan::bench(sample_count = 50)]
fn seek_random_step(bencher: divan::Bencher) {
    let (mut run, _) = big_run();
    let end = run.current_step();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    bencher.bench_local(|| {
        // A fixed pseudo-random walk over the timeline (xorshift).
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let target = x % end;
        run.seek(target);
        run.current_step()
    });
}
