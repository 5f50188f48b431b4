#!/usr/bin/env bash
# Builds the browser app and serves it on http://127.0.0.1:${PORT:-8080}/ with
# sockscope's own static web server (the native build). Installs what is
# missing first; a tool already at the right version is not rebuilt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
"$ROOT/scripts/build-web.sh"
cd "$ROOT"
say "building the native server"
cargo build --locked --profile native --features native --bin sockscope
say "serving dist/ at http://127.0.0.1:${PORT:-8080}/  (Ctrl-C to stop)"
exec "$ROOT/target/native/sockscope" serve --mode http --root "$ROOT/dist" --port "${PORT:-8080}" "$@"
