#!/usr/bin/env bash
# The runaway queries of tests/runaway/ against `reti serve` (release build), one at a time:
# for each, the status, the seconds to the answer past the timeout, and the CPU seconds the
# server spent from one to three seconds after the timeout (zero when the evaluation really
# stopped within a second of it); then the server's peak resident memory. With --peer, the
# same against `oxigraph serve-read-only --timeout-s` holding the same data (restarted after
# each query, as its evaluations go on, or abort the process).
#
#   tests/load/runaway.sh           # reti, --query-timeout 2
#   tests/load/runaway.sh --peer    # and Oxigraph, for BENCHMARKS.md
#   tests/load/runaway.sh --smoke   # CI: --query-timeout 1, a one-second CPU window
#
# Fails when reti answers a runaway 200 or 5xx other than 503, answers later than a second
# past its timeout, or keeps evaluating one (more than 0.1 CPU seconds in the window).
# Environment: RETI (binary; default: build the release one), QUERY_MEMORY (MiB, default 512).
set -euo pipefail
cd "$(dirname "$0")/../.."
timeout_s=2
window=2
peer=0
case "${1:-}" in
  --smoke) timeout_s=1; window=1 ;;
  --peer) peer=1 ;;
  "") ;;
  *) echo "usage: $0 [--smoke|--peer]" >&2; exit 2 ;;
esac
memory="${QUERY_MEMORY:-512}"
reti="${RETI:-}"
base="http://localhost:7878/"
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
if [ -z "$reti" ]; then
  cargo build --release --quiet
  reti="${CARGO_TARGET_DIR:-target}/release/reti"
fi
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=benches/free_port.sh
. benches/free_port.sh
ticks="$(getconf CLK_TCK)"

cpu_seconds() { # pid: user + system time so far
  awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo "gone"
}
wait_for() { # url
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2
  exit 1
}

# one query against the server at $1 (its process $pid): prints "status answer_s cpu_after"
measure() { # url query-file [max-seconds]
  local start end status cpu1 cpu2
  start=$(date +%s.%N)
  status=$(curl -s -o "$work/answer" -w '%{http_code}' --max-time "${3:-600}" \
    -H 'Content-Type: application/sparql-query' \
    -H 'Accept: application/sparql-results+json, text/turtle;q=0.5' \
    --data-binary "@$2" "$1" || true)
  [ -n "$status" ] || status=000
  end=$(date +%s.%N)
  # from a second after the timeout, for the window
  sleep "$(awk -v s="$start" -v e="$end" -v t="$timeout_s" 'BEGIN { w = s + t + 1 - e; print (w > 0 ? w : 0) }')"
  cpu1=$(cpu_seconds "$pid")
  sleep "$window"
  cpu2=$(cpu_seconds "$pid")
  echo "$status $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') $(awk -v a="$cpu1" -v b="$cpu2" 'BEGIN { if (a == "gone" || b == "gone") print "gone"; else printf "%.2f", b - a }')"
}

fail=0
port="$(free_port)"
"$reti" serve --base "$base" --bind "127.0.0.1:$port" --query-timeout "$timeout_s" \
  --query-memory "$memory" --dumps-dir "$work/dumps" >"$work/reti.log" 2>&1 &
pid=$!
wait_for "http://127.0.0.1:$port/health"
printf '%-28s %6s %9s %9s\n' "reti: query" status "answer_s" "cpu_after"
for q in tests/runaway/*.rq; do
  read -r status answer cpu <<<"$(measure "http://127.0.0.1:$port/sparql" "$q")"
  name="$(basename "$q" .rq)"
  printf '%-28s %6s %9s %9s\n' "$name" "$status" "$answer" "$cpu"
  case "$status" in
    503|4??) ;;
    *) echo "FAIL: $name answered $status: $(head -c 200 "$work/answer")" >&2; fail=1 ;;
  esac
  if awk -v a="$answer" -v t="$timeout_s" 'BEGIN { exit !(a > t + 1) }'; then
    echo "FAIL: $name answered ${answer}s after it was sent, past ${timeout_s}s + 1s" >&2; fail=1
  fi
  if [ "$cpu" = gone ] || awk -v c="$cpu" 'BEGIN { exit !(c > 0.1) }'; then
    echo "FAIL: $name still used ${cpu} CPU seconds from 1 to $((1 + window)) s after its timeout" >&2; fail=1
  fi
done
peak_kb=$(grep VmHWM "/proc/$pid/status" | awk '{print $2}')
echo "reti peak_rss_mb=$((peak_kb / 1024)) (--query-memory $memory)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

if [ "$peer" = 1 ]; then
  command -v oxigraph >/dev/null || python3 -m pip install --quiet --disable-pip-version-check oxigraph==0.5.13
  "$reti" export --base "$base" --format nq -o "$work/reti.nq" 2>/dev/null
  "$reti" export --base "$base" --format nt -o "$work/reti.nt" 2>/dev/null
  oxigraph load --location "$work/oxigraph" --file "$work/reti.nq" "$work/reti.nt" >/dev/null 2>&1
  printf '%-28s %6s %9s %9s %8s\n' "oxigraph: query" status "answer_s" "cpu_after" "peak_mb"
  for q in tests/runaway/*.rq; do
    port="$(free_port)"
    oxigraph serve-read-only --location "$work/oxigraph" --bind "127.0.0.1:$port" --timeout-s "$timeout_s" >/dev/null 2>&1 &
    pid=$!
    wait_for "http://127.0.0.1:$port/query?query=ASK%7B%7D"
    read -r status answer cpu <<<"$(measure "http://127.0.0.1:$port/query" "$q" 10)"
    peak_kb=$(grep VmHWM "/proc/$pid/status" 2>/dev/null | awk '{print $2}' || true)
    # 000: no answer within 10 s
    printf '%-28s %6s %9s %9s %8s\n' "$(basename "$q" .rq)" "$status" "$answer" "$cpu" "$(( ${peak_kb:-0} / 1024 ))"
    kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
  done
fi
exit "$fail"
