#!/usr/bin/env bash
# Benchmarks of the spine, written to BENCHMARKS.md. Reproducible: a release build, a fresh
# SQLite file, fixed seeds for the load and the data, wrk from a second process over loopback.
#   Tools/bench/run.sh                 (make bench)
#   DURATION=30 CONNECTIONS=32 Tools/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-32}"
CASES="${CASES:-1000000}"
PORT="${PORT:-18080}"
WORK="$(mktemp -d /tmp/vigil-bench.XXXXXX)"
OUT="$ROOT/BENCHMARKS.md"

for tool in wrk hyperfine; do
    command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk hyperfine >/dev/null; break; }
done

echo "building release…"
swift build -c release --product vigil 2>&1 | grep -E "error|Compiling|Build" | tail -1
VIGIL="$ROOT/.build/release/vigil"
DB="$WORK/vigil.sqlite"
export VIGIL_DATABASE_URL="$DB" VIGIL_LOG_LEVEL=warning

server_pid=""
start_server() {
    "$VIGIL" serve --port "$PORT" >"$WORK/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "server did not start"; cat "$WORK/server.log"; exit 1
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
# wrk summary → "requests/s p50 p90 p99 non2xx"
summarize() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
def pct(p):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(f"{float(rps):.0f} {pct(50):.2f} {pct(90):.2f} {pct(99):.2f} {non2xx.group(1) if non2xx else 0} {'yes' if errors else 'no'}")
PY
}

echo "1/3 intake: POST /api/incident-ops/cases, $CONNECTIONS connections, ${DURATION}s"
start_server
TOKEN="$(grep 'API token' "$WORK/server.log" | awk '{print $3}')"
export TOKEN
TOKEN="$TOKEN" wrk -t2 -c"$CONNECTIONS" -d5s -s Tools/bench/post_case.lua "http://127.0.0.1:$PORT" >/dev/null  # warm-up
TOKEN="$TOKEN" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Tools/bench/post_case.lua "http://127.0.0.1:$PORT" >"$WORK/post.txt"
read -r post_rps post_p50 post_p90 post_p99 post_non2xx post_sockerr <<<"$(summarize "$WORK/post.txt")"
echo "   $post_rps requests/s, p50 $post_p50 ms, p99 $post_p99 ms, non-2xx $post_non2xx"
post_rss="$(rss_mb)"
intake_rows="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM incident_cases").fetchone()[0])' "$DB")"
stop_server

echo "2/3 list: seeding $CASES cases, then GET /api/incident-ops/cases (50 per page, filtered)"
python3 Tools/bench/seed_cases.py "$DB" "$CASES" >"$WORK/seed.txt"
"$VIGIL" user add --email bench.analyst@example.com --name "Bench Analyst" --role analyst --region BR-SP --region BR-RJ --region MX-CMX >/dev/null
ANALYST_TOKEN="$("$VIGIL" token create --user bench.analyst@example.com --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
start_server
TOKEN="$ANALYST_TOKEN" wrk -t2 -c"$CONNECTIONS" -d5s -s Tools/bench/list_cases.lua "http://127.0.0.1:$PORT" >/dev/null
TOKEN="$ANALYST_TOKEN" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Tools/bench/list_cases.lua "http://127.0.0.1:$PORT" >"$WORK/list.txt"
read -r list_rps list_p50 list_p90 list_p99 list_non2xx list_sockerr <<<"$(summarize "$WORK/list.txt")"
echo "   $list_rps requests/s, p50 $list_p50 ms, p99 $list_p99 ms, non-2xx $list_non2xx"
list_rss="$(rss_mb)"
stop_server

echo "3/3 vigil --help"
hyperfine --warmup 3 --runs 30 --export-json "$WORK/help.json" "$VIGIL --help" >/dev/null
help_ms="$(python3 - "$WORK/help.json" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))["results"][0]
print("%.1f (max %.1f)" % (result["mean"] * 1000, result["max"] * 1000))
PY
)"

cpu="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"
cat >"$OUT" <<MD
# Benchmarks

Measured with \`make bench\` (Tools/bench/run.sh): a release build of \`vigil\` serving a fresh
SQLite file (WAL, synchronous=FULL), loaded by wrk (2 threads) from a second process on the same
machine over loopback. Load and data use fixed seeds (Tools/bench/*.lua, seed_cases.py).

- Machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo) RAM, $(uname -sr)
- Swift: $(swift --version 2>&1 | head -1)
- Date: $(date -u +%Y-%m-%dT%H:%MZ); ${DURATION} s per run after a 5 s warm-up; $CONNECTIONS connections

| benchmark | target | requests/s | p50 ms | p90 ms | p99 ms | non-2xx | server RSS |
|---|---|---|---|---|---|---|---|
| case intake POST (auth, validation, insert, audit, outbox, one transaction) | ≥ 3,000/s, p99 < 30 ms, 0 non-2xx | $post_rps | $post_p50 | $post_p90 | $post_p99 | $post_non2xx | $post_rss MB |
| case list, 50 per page, filtered, $CASES cases in the database | ≥ 8,000/s, p99 < 15 ms | $list_rps | $list_p50 | $list_p90 | $list_p99 | $list_non2xx | $list_rss MB |

- \`vigil --help\`: $help_ms ms (target < 100 ms; hyperfine, 30 runs)
- Server resident memory at the end of each run: see the last column (target < 200 MB).
- Cases written by the intake run: $intake_rows. Seeding: $(cat "$WORK/seed.txt").

$(cat Tools/bench/analysis.md)

Raw wrk output of this run:

\`\`\`
$(cat "$WORK/post.txt")
\`\`\`

\`\`\`
$(cat "$WORK/list.txt")
\`\`\`
MD
echo "written $OUT"
cat "$OUT" | sed -n 1,20p
rm -rf "$WORK"
