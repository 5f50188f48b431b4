#!/usr/bin/env bash
# Installs, idempotently, every tool sockscope's build and tests need on a
# bare Debian machine with a Rust toolchain and Node.js. A tool already at the
# right version is left alone. Source it, then call the ensure_* functions.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
export TRUNK_SKIP_VERSION_CHECK=true
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen version the lock file resolved; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then return; fi
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  if command -v trunk >/dev/null && [ "$(trunk --version | awk '{print $2}')" = "$TRUNK_VERSION" ]; then return; fi
  say "installing trunk $TRUNK_VERSION (about 10 minutes the first time)"
  cargo install trunk --version "=$TRUNK_VERSION" --locked
}

ensure_wasm_bindgen() {
  local want; want="$(wasm_bindgen_version)"
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ] \
     && command -v wasm-bindgen-test-runner >/dev/null; then return; fi
  say "installing wasm-bindgen-cli $want (matches Cargo.lock)"
  # Not --locked: one of its locked dependencies is missing from the registry.
  cargo install wasm-bindgen-cli --version "=$want" --force
}

WASM_SPLIT_VERSION="0.2.4"
# Splits the app's module in two (scripts/split-wasm.mjs, trunk's post_build hook).
ensure_wasm_split() {
  if command -v wasm-split-cli >/dev/null \
     && cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then return; fi
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 3 minutes the first time)"
  cargo install wasm_split_cli_support --version "=$WASM_SPLIT_VERSION" --features build-binary --locked
}

ensure_npm() {
  if [ -d "$ROOT/node_modules" ] && [ "$ROOT/node_modules/.package-lock.json" -nt "$ROOT/package-lock.json" ]; then return; fi
  say "installing npm packages (wasm-opt, playwright-core)"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
}

# Debian packages: each is installed only when its command is missing.
ensure_apt() {
  local missing=() cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair##*:}"
    command -v "$cmd" >/dev/null || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_npm
  (cd "$ROOT" && cargo fetch --locked -q)
  ensure_wasm_bindgen
  ensure_wasm_split
  ensure_trunk
}

ensure_test_tools() {
  ensure_build_tools
  ensure_apt chromium:chromium chromedriver:chromium-driver tshark:tshark curl:curl python3:python3 ip:iproute2
}
