#!/usr/bin/env bash
# Browser benchmarks (not tests): bundle size, time to first render against a
# minimal Yew page, and frame times of multi-client with eight clients.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
"$ROOT/scripts/build-web.sh"
cd "$ROOT"
say "building the minimal Yew page for comparison"
TRUNK_OFFLINE=true trunk build --release --offline --config Trunk.toml benches/web/minimal.html --dist target/bench-minimal >/dev/null
say "building the simulation seek benchmark for WebAssembly"
TRUNK_OFFLINE=true trunk build --release --offline --config Trunk.toml benches/web/seek.html --dist target/bench-seek >/dev/null
say "simulation core in WebAssembly: replay and seek of a 100,000-event run"
node benches/web/seek.mjs
say "time to first render (ms from navigation start, median of 25, the two pages alternating)"
node benches/web/first-render.mjs 25
say "frame times, multi-client with 8 clients at 50x"
node benches/web/frames.mjs 8 5
