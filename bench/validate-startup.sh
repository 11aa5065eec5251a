#!/usr/bin/env bash
# Whole-process time of `zcspec validate specs/` beside Node's own start-up
# (`node -e 0`) and beside loading the YAML parser alone, measured side by side
# in one hyperfine run. validate loads no native code (koffi loads on first
# use, src/native/structs.ts). Needs `npm run build` and hyperfine (apt-get
# install hyperfine).
# Usage: bench/validate-startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-40}"
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install -y hyperfine" >&2; exit 3; }
[ -f dist/cli/bin.js ] || { echo "needs the built CLI: npm run build" >&2; exit 3; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
table="$(mktemp)"
trap 'rm -f "$table"' EXIT
hyperfine -N --warmup 5 --runs "$runs" --export-markdown "$table" \
  'node -e 0' \
  'node bench/yaml-only.mjs' \
  'node bin/zcspec.js validate specs/examples/' \
  'node bin/zcspec.js validate specs/'
cat "$table"
