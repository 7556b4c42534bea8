#!/usr/bin/env bash
# HTTP benchmarks, each against a named peer in the same run on the same machine:
#   1. SPARQL: `reti serve` against `oxigraph serve-read-only` holding the same data (reti's
#      N-Quads dump, plus the merged N-Triples as the default graph, so both answer alike),
#      the same query mix (the stored queries and point lookups), with wrk at 1, 16 and 64
#      connections; a first-time mix (every request made unique by a comment, so no cache
#      can answer it) and a repeated mix.
#   2. Documents: /doc/… Turtle and HTML at 64 connections, reti against nginx serving the
#      same files of `reti export --site` from disk.
#      The same with `Accept-Encoding: gzip`, nginx compressing with `gzip on` as usually
#      deployed (level 1, as the files are sent), reti from its per-build compressed copies.
#   3. Dumps: download throughput of /dumps/reti.nt, reti against nginx serving the same file.
#
#   benches/http/run.sh              # 10 s per run (release build)
#   DURATION=30 benches/http/run.sh  # longer runs
#   benches/http/run.sh --smoke      # 1 s runs at 4 connections: CI checks that it runs;
#                                    # fails only on errors or 5xx, never on timings
# Environment: RETI (binary; default: build the release one), DATA (default: data), DURATION,
# CONNECTIONS (of the SPARQL runs), RETI_LOG (reti's RUST_LOG; default: no request log).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${DURATION:-10}"
connections="${CONNECTIONS:-1 16 64}"
doc_connections=64
if [ "${1:-}" = "--smoke" ]; then
  duration=1
  connections=4
  doc_connections=4
fi
data="${DATA:-data}"
reti="${RETI:-}"
base="http://localhost:7878/"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
command -v oxigraph >/dev/null || python3 -m pip install --quiet --disable-pip-version-check oxigraph==0.5.13
if [ -z "$reti" ]; then
  cargo build --release --quiet
  reti="${CARGO_TARGET_DIR:-target}/release/reti"
fi

work="$(mktemp -d)"
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=benches/free_port.sh
. benches/free_port.sh
wait_for() { # url
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2
  exit 1
}

# the same data for both servers
"$reti" export --data "$data" --base "$base" --format nq -o "$work/reti.nq" 2>/dev/null
"$reti" export --data "$data" --base "$base" --format nt -o "$work/reti.nt" 2>/dev/null
oxigraph load --location "$work/oxigraph" --file "$work/reti.nq" "$work/reti.nt" >/dev/null 2>&1
"$reti" export --site "$work/site" --data "$data" --base "$base" >/dev/null 2>&1

reti_port="$(free_port)"
# Like for like: nginx runs with `access_log off` and `oxigraph serve-read-only` logs no
# requests, so reti's request log is off too (RETI_LOG=info measures reti with it).
RUST_LOG="${RETI_LOG:-info,reti::request=off}" # wrk is one address standing for many clients: it gets every query slot, as Oxigraph gives it
"$reti" serve --data "$data" --base "$base" --bind "127.0.0.1:$reti_port" --max-queries-per-client 4 >/dev/null 2>&1 &
pids+=($!)
oxigraph_port="$(free_port)"
oxigraph serve-read-only --location "$work/oxigraph" --bind "127.0.0.1:$oxigraph_port" >/dev/null 2>&1 &
pids+=($!)
nginx_port="$(free_port)"
mkdir -p "$work/nginx/logs"
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"
cat >"$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  gzip on;
  gzip_min_length 32;
  gzip_types text/turtle application/ld+json application/n-triples application/rdf+xml;
  include $work/site/_server/nginx-http.conf;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/site;
    include $work/site/_server/nginx.conf;
    # the ceiling: the cheapest answer an HTTP server can give over this machine's loopback
    location = /__ceiling { return 200 "ok"; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
pids+=($!)
wait_for "http://127.0.0.1:$reti_port/health"
wait_for "http://127.0.0.1:$oxigraph_port/"
wait_for "http://127.0.0.1:$nginx_port/"

# the query mix: every stored query, and point lookups of resources of each kind
python3 - "$work" "$data" "$reti" <<'PY'
import csv, glob, io, subprocess, sys, urllib.parse
work, data, reti = sys.argv[1:4]
queries = [open(f, encoding="utf-8").read() for f in sorted(glob.glob("queries/*.rq"))]
listing = subprocess.run(
    [reti, "query", "--data", data, "--format", "csv", "-e",
     "SELECT ?s WHERE { { SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://localhost:7878/id/')) } } } ORDER BY ?s"],
    capture_output=True, text=True, check=True).stdout
subjects = [row["s"] for row in csv.DictReader(io.StringIO(listing))]
step = max(1, len(subjects) // 40)
for s in subjects[::step][:40]:
    queries.append(f"SELECT ?p ?o WHERE {{ <{s}> ?p ?o }}")
accept = "application/sparql-results+json"
for name, endpoint in [("reti", "/sparql"), ("oxigraph", "/query")]:
    with open(f"{work}/{name}.paths", "w") as out:
        for q in queries:
            out.write(f"{endpoint}?query={urllib.parse.quote(q, safe='')}\t{accept}\n")
with open(f"{work}/docs.paths", "w") as out:
    for s in subjects:
        doc = s.replace("http://localhost:7878/id/", "/doc/")
        out.write(f"{doc}.ttl\ttext/turtle\n{doc}.html\ttext/html\n")
with open(f"{work}/dump.paths", "w") as out:
    out.write("/dumps/reti.nt\tapplication/n-triples\n")
with open(f"{work}/ceiling.paths", "w") as out:
    out.write("/__ceiling\ttext/plain\n")
PY

# both servers must answer the mix alike before they are timed
same() {
  local a b
  a="$(curl -sf -H 'Accept: text/csv' "http://127.0.0.1:$reti_port/sparql?query=$1" | sort)"
  b="$(curl -sf -H 'Accept: text/csv' "http://127.0.0.1:$oxigraph_port/query?query=$1" | sort)"
  [ "$a" = "$b" ] || { echo "reti and oxigraph disagree on $1" >&2; exit 1; }
}
same "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
same "SELECT%20%3Fg%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D%20GROUP%20BY%20%3Fg"

failed=0
run() { # label url paths mode connections [accept-encoding]
  local out
  local threads=2
  [ "$5" -lt 2 ] && threads=1
  out="$(wrk -t"$threads" -c"$5" -d"${duration}s" --timeout 30s -s benches/http/sparql.lua "$2" -- "$3" "$4" "${6:-}" | grep '^RESULT' || true)"
  [ -n "$out" ] || { echo "wrk produced no result for $1" >&2; failed=1; echo "rps=0 p50_ms=0 p99_ms=0 mb_s=0 errors=1"; return; }
  local errors s5
  errors="$(field "$out" errors)"
  s5="$(field "$out" s5xx)"
  if [ "$errors" != 0 ] || [ "$s5" != 0 ]; then
    echo "$1: $errors errors, $s5 5xx" >&2
    failed=1
  fi
  echo "$out"
}
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b:.2f}×' if b else 'n/a')" "$1" "$2"; }

echo "## SPARQL: reti serve vs oxigraph serve-read-only ($(oxigraph --version)), ${duration} s per run"
echo
echo "| mix | connections | reti req/s | oxigraph req/s | ratio | reti p50 / p99 ms | oxigraph p50 / p99 ms | ceiling req/s | ceiling / oxigraph |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
# ceiling: nginx answering "return 200" at the same connections, the fastest any server can
# answer over this loopback; ceiling / oxigraph is the highest ratio any server could reach
declare -A ceiling
for c in $connections; do
  ceiling[$c]="$(field "$(run "ceiling $c" "http://127.0.0.1:$nginx_port" "$work/ceiling.paths" repeat "$c")" rps)"
done
for mode in first repeat; do
  for c in $connections; do
    r="$(run "reti $mode $c" "http://127.0.0.1:$reti_port" "$work/reti.paths" "$mode" "$c")"
    o="$(run "oxigraph $mode $c" "http://127.0.0.1:$oxigraph_port" "$work/oxigraph.paths" "$mode" "$c")"
    echo "| $mode | $c | $(field "$r" rps) | $(field "$o" rps) | $(ratio "$(field "$r" rps)" "$(field "$o" rps)") | $(field "$r" p50_ms) / $(field "$r" p99_ms) | $(field "$o" p50_ms) / $(field "$o" p99_ms) | ${ceiling[$c]} | $(ratio "${ceiling[$c]}" "$(field "$o" rps)") |"
  done
done

echo
echo "## Documents and dumps: reti serve vs nginx $(nginx -v 2>&1 | cut -d/ -f2) serving reti export --site"
echo
echo "| what | connections | reti req/s | nginx req/s | ratio | reti MB/s | nginx MB/s | MB/s ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
r="$(run "reti documents" "http://127.0.0.1:$reti_port" "$work/docs.paths" repeat "$doc_connections")"
n="$(run "nginx documents" "http://127.0.0.1:$nginx_port" "$work/docs.paths" repeat "$doc_connections")"
echo "| /doc/… Turtle and HTML | $doc_connections | $(field "$r" rps) | $(field "$n" rps) | $(ratio "$(field "$r" rps)" "$(field "$n" rps)") | $(field "$r" mb_s) | $(field "$n" mb_s) | $(ratio "$(field "$r" mb_s)" "$(field "$n" mb_s)") |"
r="$(run "reti documents gzip" "http://127.0.0.1:$reti_port" "$work/docs.paths" repeat "$doc_connections" gzip)"
n="$(run "nginx documents gzip" "http://127.0.0.1:$nginx_port" "$work/docs.paths" repeat "$doc_connections" gzip)"
echo "| /doc/… Turtle and HTML, gzip | $doc_connections | $(field "$r" rps) | $(field "$n" rps) | $(ratio "$(field "$r" rps)" "$(field "$n" rps)") | $(field "$r" mb_s) | $(field "$n" mb_s) | $(ratio "$(field "$r" mb_s)" "$(field "$n" mb_s)") |"
for c in 1 4; do
  r="$(run "reti dump" "http://127.0.0.1:$reti_port" "$work/dump.paths" repeat "$c")"
  n="$(run "nginx dump" "http://127.0.0.1:$nginx_port" "$work/dump.paths" repeat "$c")"
  echo "| /dumps/reti.nt ($(du -h "$work/site/dumps/reti.nt" | cut -f1)) | $c | $(field "$r" rps) | $(field "$n" rps) | $(ratio "$(field "$r" rps)" "$(field "$n" rps)") | $(field "$r" mb_s) | $(field "$n" mb_s) | $(ratio "$(field "$r" mb_s)" "$(field "$n" mb_s)") |"
done
exit "$failed"
