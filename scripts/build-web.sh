#!/usr/bin/env bash
# Release build of the browser app into dist/, then each file's size raw and gzip -9.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_build_tools
cd "$ROOT"
say "trunk build --release"
TRUNK_OFFLINE=true trunk build --release --offline
say "dist/ sizes (bytes): raw, gzip -9"
total_raw=0; total_gz=0
for f in dist/*; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '  %-48s %9d %9d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '  %-48s %9d %9d\n' "total" "$total_raw" "$total_gz"
