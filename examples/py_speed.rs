//! Statements per second of the Python interpreter on a pure-Python loop:
//! `cargo run --example py_speed` (add `--release` for an optimized build).
//!
//! The loop sums the integers below 1,000,000 in a `while` loop: three
//! statements per iteration (the `while` test, `total += i`, `i += 1`),
//! three million steps. The same file under CPython:
//! `python3 -c "$(cargo run -q --example py_speed -- --print-source)"`.

use sockscope::sim::python::test_os::{RunEnd, TestOs};
use sockscope::sim::python::{Interp, Step};
use std::time::Instant;

const SOURCE: &str =
    "total = 0\ni = 0\nwhile i < 1000000:\n    total += i\n    i += 1\nprint(total)\n";

fn main() {
    if std::env::args().any(|a| a == "--print-source") {
        print!("{SOURCE}");
        return;
    }
    let mut best = f64::MAX;
    let mut steps = 0u64;
    for _ in 0..3 {
        let mut py = Interp::new("loop.py", SOURCE);
        let mut os = TestOs::new();
        let t = Instant::now();
        steps = 0;
        loop {
            match py.step(0, &mut os) {
                Step::Ran { .. } => steps += 1,
                Step::Exited { .. } => break,
                Step::Blocked { .. } => unreachable!("nothing blocks here"),
            }
        }
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(os.stdout, "499999500000\n");
        best = best.min(secs);
    }
    let _ = RunEnd::Finished;
    println!(
        "{steps} steps (statements) in {best:.3} s: {:.2} million statements/s ({} build)",
        steps as f64 / best / 1e6,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimized"
        }
    );
}
