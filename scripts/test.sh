#!/usr/bin/env bash
# Runs every test of sockscope, in order, after installing what is missing:
#   format, lints, native tests, browser unit tests (wasm-bindgen in headless
#   Chromium), the release build (with sizes), end-to-end tests (Playwright).
# Safe to run again: installs are skipped when the right version is present.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_test_tools
cd "$ROOT"

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy --all-targets --all-features -- -D warnings"
cargo clippy --locked --all-targets --all-features -- -D warnings

say "native tests: cargo test --all-features"
cargo test --locked --all-features

say "browser unit tests: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER="$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --locked --target wasm32-unknown-unknown --features web --test web

"$ROOT/scripts/build-web.sh"

say "end-to-end tests: Playwright + Chromium, dist/ served from a sub-path"
node --test --test-concurrency=1 tests/e2e/
