#!/usr/bin/env bash
# Start-up: time from launching `reti serve` to its first answered request (`GET /health`; the
# server answers only once everything is built), for synthetic data of each size:
#
#   memory, first    the in-memory store, dumps not on disk yet
#   memory, restart  the in-memory store again (the dumps are found again; the store is rebuilt)
#   disk, first      `--store`: the store is built on disk (the dumps are already there)
#   disk, restart    `--store` again: the store built before is opened
#
# plus the resident memory once serving, and the time until one stored query asked right after
# the start is answered, on each kind of store. Needs a reti built with `--features rocksdb`,
# unless STORES=memory leaves out the on-disk rows.
#
#   cargo build --release --features rocksdb && benches/startup.sh 1000000
#   cargo build --release && STORES=memory benches/startup.sh 1000000
#   benches/startup.sh --smoke          # CI: 200 memberships on the debug build, no timing
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
smoke=""
if [ "${1:-}" = "--smoke" ]; then
  smoke=1
  sizes=(200)
fi
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)
reti="${RETI:-${CARGO_TARGET_DIR:-target}/release/reti}"
[ -x "$reti" ] || { echo "no $reti: cargo build --release --features rocksdb" >&2; exit 1; }

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=benches/free_port.sh
. benches/free_port.sh
port="$(free_port)"
now() { date +%s.%N; }

# start `reti serve` with the given extra options; prints "seconds rss_mb"
start() {
  local t0 t1
  t0="$(now)"
  "$reti" serve --data "$data" --bind "127.0.0.1:$port" --base "http://127.0.0.1:$port/" \
    --dumps-dir "$work/dumps" "$@" >/dev/null 2>"$work/log" &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; echo "reti serve exited" >&2; exit 1; }
    sleep 0.05
  done
  t1="$(now)"
  local rss
  rss="$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")"
  # one stored query, asked for right after the start: the time until its results are given
  # (stored queries are evaluated once per build, in the background from start-up; while one
  # is still running past --query-timeout the answer is 503 with Retry-After, asked again
  # here); any other answer than 200 is shown with its status, not timed
  local q0 q1 code
  q0="$(now)"
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/queries/network-summary" || echo 000)"
    [ "$code" = 503 ] && awk -v a="$q0" -v b="$(now)" 'BEGIN { exit !(b - a < 900) }' || break
    sleep 0.2
  done
  q1="$(now)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  awk -v a="$t0" -v b="$t1" -v c="$q0" -v d="$q1" -v r="$rss" -v s="$code" \
    'BEGIN { q = (s == "200") ? sprintf("%.3f", d - c) : sprintf("%s_after_%.1f_s", s, d - c);
             printf "%.2f %d %s\n", b - a, r, q }'
}

echo "| memberships | store | first start s | restart s | resident MB (restart) | first stored query s (restart) |"
echo "|---:|---|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  data="$work/data-$n"
  "$reti" synth --memberships "$n" --seed 1 -o "$data" >/dev/null 2>&1
  read -r mf _ _ < <(start)
  read -r mr mrss mq < <(start)
  echo "| $n | memory | $mf | $mr | $mrss | $mq |"
  [ "${STORES:-memory disk}" = memory ] && { rm -rf "$work/dumps" "$data"; continue; }
  read -r df _ _ < <(start --store "$work/store")
  read -r dr drss dq < <(start --store "$work/store")
  if [ -n "$smoke" ]; then
    # the stored query must have answered on both stores
    case "$mq $dq" in *_after_*) echo "the stored query failed: $mq $dq" >&2; exit 1 ;; esac
    # the second start on disk must have opened the store built by the first
    [ "$(find "$work/store" -mindepth 1 -maxdepth 1 | wc -l)" = 1 ] || { echo "expected one store" >&2; exit 1; }
  fi
  echo "| $n | disk (\`--store\`) | $df | $dr | $drss | $dq |"
  rm -rf "$work/dumps" "$work/store" "$data"
done
