#!/usr/bin/env bash
# Stored queries at scale: how long each query of queries/ takes over N synthetic memberships,
# as `reti serve` logs it while it evaluates them in the background after start-up (each
# once per build). QUERIES=DIR times another directory of queries on the same data, so an
# older version of a query can be timed against the new one in the same run.
#
#   cargo build --release && benches/stored_queries.sh 1000000
#   QUERIES=/tmp/old-queries benches/stored_queries.sh 100000
#   benches/stored_queries.sh --smoke     # CI: 200 memberships on the debug build, no timing
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
reti="${RETI:-${CARGO_TARGET_DIR:-target}/release/reti}"
if [ "$n" = "--smoke" ]; then
  n=200
  reti="${RETI:-${CARGO_TARGET_DIR:-target}/debug/reti}"
fi
queries="${QUERIES:-queries}"
[ -x "$reti" ] || { echo "no $reti: cargo build --release" >&2; exit 1; }
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$reti" synth --memberships "$n" --seed 1 -o "$work/data" >/dev/null 2>"$work/synth.log" ||
  { cat "$work/synth.log" >&2; exit 1; }
# shellcheck source=benches/free_port.sh
. benches/free_port.sh
port="$(free_port)"
RUST_LOG="info,reti::request=off" "$reti" serve --data "$work/data" --queries "$queries" \
  --bind "127.0.0.1:$port" --dumps-dir "$work/dumps" >/dev/null 2>"$work/log" &
pid=$!
expected="$(find "$queries" -maxdepth 1 -name '*.rq' | wc -l)"
# one line per stored query: "stored query NAME: results ready in S s" or "... failed (STATUS): ..."
until [ "$(grep -c 'stored query ' "$work/log" || true)" -ge "$expected" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; echo "reti serve exited" >&2; exit 1; }
  sleep 1
done
echo "## Stored queries over $n synthetic memberships ($queries)"
echo
echo "| query | evaluated in |"
echo "|---|---:|"
failed=0
while read -r line; do
  name="$(echo "$line" | sed -E 's/.*stored query ([a-z0-9-]+).*/\1/')"
  case "$line" in
    *"results ready in "*) echo "| $name | $(echo "$line" | sed -E 's/.*results ready in ([0-9.]+) s.*/\1/') s |" ;;
    *) echo "| $name | failed: $(echo "$line" | sed -E 's/.*failed //') |"; failed=1 ;;
  esac
done < <(grep 'stored query ' "$work/log")
exit "$failed"
