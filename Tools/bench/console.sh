#!/usr/bin/env bash
# Console benchmarks (issue 11), written to Tools/bench/results/console.md and from there into
# BENCHMARKS.md. A release build serving the same seeded 1,000,000-case SQLite desk as `make bench`;
# a shift coordinator signed in through the login form like a browser.
#   Tools/bench/console.sh          (make bench-console)
#   CASES=1000000 DURATION=30 LISTENERS=200 RATE=500 Tools/bench/console.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/bench/common.sh
ROOT="$(pwd)"
DB=sqlite
DURATION="${DURATION:-30}"
CONNECTIONS=8
CASES="${CASES:-1000000}"
LISTENERS="${LISTENERS:-200}"
RATE="${RATE:-500}"
PORT="${PORT:-18082}"
WORK="$(mktemp -d /tmp/vigil-console-bench.XXXXXX)"
RESULTS="$ROOT/Tools/bench/results"
mkdir -p "$RESULTS"
export VIGIL_LOG_LEVEL=warning
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
trap 'if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; fi' EXIT

echo "building release…"
swift build -c release --product vigil 2>&1 | grep -E "error|Build" | tail -1
VIGIL="$ROOT/.build/release/vigil"

echo "1/5 seeding $CASES cases of desk history"
fresh_database bench_console
ADMIN_TOKEN="$(token_for bench.admin@example.com admin --all-regions)"
COORDINATOR=coordinator@example.com
PASSWORD=bench-console-pass-1
echo "$PASSWORD" | "$VIGIL" user add --email "$COORDINATOR" --name "Bench coordinator" --role shift-coordinator \
    --region BR-SP --region BR-RJ --region MX-CMX --region CO-DC --password-stdin >/dev/null
desk_queues
python3 Tools/bench/seed_desk.py $(seed_target) --cases "$CASES" "${queue_args[@]}" >"$WORK/seed.txt"
echo "   $(cat "$WORK/seed.txt")"
open_cases="$(query "SELECT COUNT(*) FROM incident_cases WHERE status NOT IN ('resolved', 'closed')")"
console_paths

start_server
SESSION="$(python3 Tools/bench/console_session.py "http://127.0.0.1:$PORT" "$COORDINATOR" "$PASSWORD")"

echo "2/5 coordinator dashboard, $CONNECTIONS coordinators refreshing back to back"
PATHS="$WORK/dashboards.txt" load dashboard Tools/bench/console_page.lua "$SESSION"
dashboard_rss="$(rss_mb)"

echo "3/5 case page (facts, clocks, checklist, timeline), $CONNECTIONS connections"
PATHS="$WORK/cases.txt" load casepage Tools/bench/console_page.lua "$SESSION"

echo "4/5 page weight"
read -r dash_html dash_total dash_files dash_external <<<"$(python3 Tools/bench/page_weight.py "http://127.0.0.1:$PORT" "$SESSION" "/console/incident-ops?region=BR-SP")"
read -r case_html case_total case_files case_external <<<"$(python3 Tools/bench/page_weight.py "http://127.0.0.1:$PORT" "$SESSION" "$(head -1 "$WORK/cases.txt")")"
kb() { python3 -c "print(f'{$1 / 1024:.1f}')"; }
echo "   dashboard $(kb "$dash_total") KB ($dash_files files, $dash_external external); case page $(kb "$case_total") KB"

echo "5/5 $LISTENERS live dashboards while cases arrive at $RATE/s for $DURATION s"
read -r live_rate live_p50 live_p99 live_max live_missing live_refused live_intake_p99 live_events live_deliveries <<<"$(python3 Tools/bench/live_fanout.py \
    --base "http://127.0.0.1:$PORT" --session "$SESSION" --token "$ADMIN_TOKEN" --listeners "$LISTENERS" --rate "$RATE" --seconds "$DURATION")"
live_rss="$(rss_mb)"
echo "   intake $live_rate/s (refused $live_refused, p99 $live_intake_p99 ms); delivery p50 $live_p50 ms, p99 $live_p99 ms, max $live_max ms; undelivered $live_missing"
stop_server

cpu="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"
cat >"$RESULTS/console.md" <<MD
### The console (SQLite, issue 11)

Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo) RAM; \`make bench-console\` (Tools/bench/console.sh): the seeded $CASES-case desk ($open_cases open), a shift coordinator of four regions signed in through the login form; wrk sends the session cookie, ${DURATION} s per load after a 5 s warm-up.

| benchmark | target | result | p50 ms | p90 ms | p99 ms | non-2xx | server RSS |
|---|---|---|---|---|---|---|---|
| coordinator dashboard HTML (the four regions in turn), $CONNECTIONS coordinators | p99 < 50 ms | $dashboard_rps/s | $dashboard_p50 | $dashboard_p90 | $dashboard_p99 | $dashboard_non2xx | $dashboard_rss MB |
| case page HTML (1,000 open and 1,000 closed cases), $CONNECTIONS connections | p99 < 30 ms | $casepage_rps/s | $casepage_p50 | $casepage_p90 | $casepage_p99 | $casepage_non2xx | |

| page, with its stylesheets and scripts, uncompressed | target | HTML | total | files | external requests |
|---|---|---|---|---|---|
| coordinator dashboard (BR-SP) | < 150 KB, none external | $(kb "$dash_html") KB | $(kb "$dash_total") KB | $dash_files | $dash_external |
| case page | < 150 KB, none external | $(kb "$case_html") KB | $(kb "$case_total") KB | $case_files | $case_external |

| live dashboards under intake | target | result |
|---|---|---|
| $LISTENERS browsers on /console/live; cases opened through the API at $RATE/s for $DURATION s (achieved $live_rate/s, intake p99 $live_intake_p99 ms, $live_refused refused) | an intake reaches every dashboard within 1 s, p99 | p50 $live_p50 ms, p99 $live_p99 ms, max $live_max ms over $live_deliveries case × browser deliveries; $live_missing undelivered; $live_events events per browser; server RSS $live_rss MB |

- Delivery is counted from the moment the case's POST was sent to the moment a browser reads the first event stamped after the POST was answered (an event's id is the instant the live feed read the outbox, so that event's page fetch shows the case). Tools/bench/live_fanout.py drives both sides from one process.
- Seeding: $(cat "$WORK/seed.txt").
MD
python3 Tools/bench/assemble.py "$ROOT"
echo "written $RESULTS/console.md and BENCHMARKS.md"
cat "$RESULTS/console.md"
rm -rf "$WORK"
