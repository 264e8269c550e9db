#!/usr/bin/env bash
# Benchmarks, written to BENCHMARKS.md. Reproducible: a release build, fresh databases, fixed
# seeds for the load and the data, wrk from a second process over loopback.
#   Tools/bench/run.sh                 (make bench)               SQLite
#   DB=postgres Tools/bench/run.sh     (make bench DB=postgres)   a throwaway PostgreSQL cluster
#   DURATION=30 CONNECTIONS=32 CASES=1000000 Tools/bench/run.sh
# Each run writes Tools/bench/results/<db>.md; BENCHMARKS.md puts the databases side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/bench/common.sh
ROOT="$(pwd)"
DB="${DB:-sqlite}"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-32}"
CASES="${CASES:-1000000}"
PORT="${PORT:-18080}"
WORK="$(mktemp -d /tmp/vigil-bench.XXXXXX)"
RESULTS="$ROOT/Tools/bench/results"
mkdir -p "$RESULTS"
export VIGIL_LOG_LEVEL=warning

for tool in wrk hyperfine; do
    command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk hyperfine >/dev/null; break; }
done

echo "building release…"
swift build -c release --product vigil 2>&1 | grep -E "error|Build" | tail -1
VIGIL="$ROOT/.build/release/vigil"

# A fresh database per phase: a new SQLite file, or a new database in the bench cluster.
PG_URL=""
if [ "$DB" = "postgres" ]; then
    # Durable like the SQLite runs (fsync on); memory sized for a 1M-case working set.
    PG_URL="$(VIGIL_PG_DIR=/tmp/vigil-bench-pg VIGIL_PG_PORT=54339 VIGIL_PG_FSYNC=on \
        VIGIL_PG_OPTS="-c shared_buffers=512MB -c max_wal_size=4GB -c work_mem=32MB" Tools/ci/postgres.sh start)"
    trap 'VIGIL_PG_DIR=/tmp/vigil-bench-pg VIGIL_PG_PORT=54339 Tools/ci/postgres.sh stop >/dev/null 2>&1 || true' EXIT
fi

echo "1/6 intake without queues: POST /api/incident-ops/cases (validation, insert, SLA clocks, SOP, audit, outbox)"
fresh_database bench_intake
ADMIN_TOKEN="$(token_for bench.admin@example.com admin --all-regions)"
start_server
load intake Tools/bench/post_case.lua "$ADMIN_TOKEN"
intake_rss="$(rss_mb)"
stop_server

echo "2/6 intake with auto-assignment: three queues, 600 analysts on shift per region"
fresh_database bench_assign
ADMIN_TOKEN="$(token_for bench.admin@example.com admin --all-regions)"
queue BR-SP "SP desk" least-loaded >/dev/null
queue BR-SP "SP drivers" round-robin --business-line drivers >/dev/null
queue BR-RJ "RJ desk" availability-aware >/dev/null
# 1,200 analysts × capacity 100: room for every case of the run, so every intake assigns.
python3 Tools/bench/seed_desk.py $(seed_target) --cases 0 --analysts 600 --region BR-SP --region BR-RJ >"$WORK/seed-analysts.txt"
start_server
load assign Tools/bench/post_case.lua "$ADMIN_TOKEN"
assign_rss="$(rss_mb)"
stop_server
assigned="$(query "SELECT COUNT(*) FROM incident_cases WHERE assignee IS NOT NULL")"
total_assign="$(query "SELECT COUNT(*) FROM incident_cases")"
over_capacity="$(query "SELECT COUNT(*) FROM incident_analysts WHERE active_cases > capacity")"
load_mismatch="$(query "SELECT COUNT(*) FROM incident_analysts a WHERE a.active_cases <> (SELECT COUNT(*) FROM incident_cases c WHERE c.assignee = a.user_id)")"
echo "   $assigned of $total_assign cases assigned; analysts over capacity: $over_capacity; load counters off: $load_mismatch"

echo "3/6 seeding $CASES cases of desk history"
fresh_database bench_desk
ADMIN_TOKEN="$(token_for bench.admin@example.com admin --all-regions)"
ANALYST_TOKEN="$(token_for bench.analyst@example.com analyst BR-SP BR-RJ MX-CMX)"
desk_queues
seed_started=$(date +%s)
python3 Tools/bench/seed_desk.py $(seed_target) --cases "$CASES" "${queue_args[@]}" >"$WORK/seed.txt"
echo "   $(cat "$WORK/seed.txt")"

echo "4/6 SLA scanner passes (CLI, before the server's own start pass)"
scan() { "$VIGIL" incident-ops sla scan --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.0f %d %d" % (r["milliseconds"], r["warnings"], r["breaches"]))'; }
read -r scan1_ms scan1_warnings scan1_breaches <<<"$(scan)"
read -r scan2_ms scan2_warnings scan2_breaches <<<"$(scan)"
open_clocks="$(query "SELECT COUNT(*) FROM incident_sla_clocks WHERE stopped_at IS NULL")"
echo "   $open_clocks open clocks: first pass ${scan1_ms} ms ($scan1_warnings warnings, $scan1_breaches breaches), second ${scan2_ms} ms"

echo "5/6 reads over the desk: case list, queue view, handover, monthly report"
start_server
load list Tools/bench/list_cases.lua "$ANALYST_TOKEN"
export QUEUES="$(IFS=,; echo "${view_queues[*]}")"
load view Tools/bench/queue_view.lua "$ANALYST_TOKEN"
# A desk's real refresh load: a few dozen analysts refreshing every few seconds is far below
# 8 connections' worth of back-to-back requests.
load view8 Tools/bench/queue_view.lua "$ANALYST_TOKEN" 8
view_rss="$(rss_mb)"
sp_open="$(query "SELECT COUNT(*) FROM incident_cases WHERE region = 'BR-SP' AND status NOT IN ('resolved', 'closed')")"
read -r handover_median handover_max handover_runs _ <<<"$(TOKEN="$ADMIN_TOKEN" python3 Tools/bench/time_requests.py --runs 10 \
    --body '{"region":"BR-SP","shiftEndsAt":"{shift_end}","notes":"bench"}' POST "http://127.0.0.1:$PORT/api/incident-ops/handovers")"
read -r month_median month_max month_runs _ <<<"$(TOKEN="$ADMIN_TOKEN" python3 Tools/bench/time_requests.py --runs 5 GET "http://127.0.0.1:$PORT/api/incident-ops/reports/desk?period=month")"
read -r sp_month_median sp_month_max _ _ <<<"$(TOKEN="$ADMIN_TOKEN" python3 Tools/bench/time_requests.py --runs 5 GET "http://127.0.0.1:$PORT/api/incident-ops/reports/desk?period=month&region=BR-SP")"
month_cases="$(query "SELECT COUNT(*) FROM incident_cases WHERE created_at >= $(( ($(date +%s) - 30 * 86400) * 1000000 ))")"
read -r year_median year_max _ _ <<<"$(TOKEN="$ADMIN_TOKEN" python3 Tools/bench/time_requests.py --runs 3 GET \
    "http://127.0.0.1:$PORT/api/incident-ops/reports/desk?from=$(date -u -d '-400 days' +%Y-%m-%dT%H:%M:%SZ)&to=$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
echo "   handover ($sp_open open in BR-SP): median $handover_median ms, max $handover_max ms"
echo "   monthly report ($month_cases cases): median $month_median ms (BR-SP only $sp_month_median ms); 400 days: $year_median ms"
stop_server

echo "6/6 vigil --help"
hyperfine --warmup 3 --runs 30 --export-json "$WORK/help.json" "$VIGIL --help" >/dev/null
help_ms="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f (max %.1f)" % (r["mean"]*1000, r["max"]*1000))' "$WORK/help.json")"

if [ "$DB" = "postgres" ]; then
    engine="PostgreSQL $(psql "$PG_URL" -qAt -c 'SHOW server_version' | cut -d' ' -f1) on loopback (fsync on, synchronous_commit on, shared_buffers 512MB)"
else
    engine="SQLite file (WAL, synchronous=FULL)"
fi
cpu="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"
cat >"$RESULTS/$DB.md" <<MD
### $engine

Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo) RAM; \`DB=$DB make bench\`; ${DURATION} s per load after a 5 s warm-up, $CONNECTIONS connections.

| benchmark | target | result | p50 ms | p90 ms | p99 ms | non-2xx | server RSS |
|---|---|---|---|---|---|---|---|
| case intake, no queues (validation, insert, SLA clocks, SOP checklist, audit, outbox) | ≥ 3,000/s, p99 < 30 ms | $intake_rps/s | $intake_p50 | $intake_p90 | $intake_p99 | $intake_non2xx | $intake_rss MB |
| case intake with auto-assignment and SLA start (3 queues of 3 strategies, 1,200 analysts on shift) | ≥ 3,000/s, p99 < 30 ms | $assign_rps/s | $assign_p50 | $assign_p90 | $assign_p99 | $assign_non2xx | $assign_rss MB |
| case list, 50 per page, filtered, $CASES cases | ≥ 8,000/s, p99 < 15 ms | $list_rps/s | $list_p50 | $list_p90 | $list_p99 | $list_non2xx | |
| queue view, 50 per page by SLA due, $CASES cases | p99 < 15 ms | $view_rps/s | $view_p50 | $view_p90 | $view_p99 | $view_non2xx | $view_rss MB |
| the same queue view at 8 connections | p99 < 15 ms | $view8_rps/s | $view8_p50 | $view8_p90 | $view8_p99 | $view8_non2xx | |

| operation | target | median | max | runs |
|---|---|---|---|---|
| handover generation, $sp_open open cases in the region | < 300 ms | $handover_median ms | $handover_max ms | $handover_runs |
| monthly desk report, all regions ($month_cases cases in the month, $CASES in the database) | < 2 s | $month_median ms | $month_max ms | $month_runs |
| monthly desk report, BR-SP | < 2 s | $sp_month_median ms | $sp_month_max ms | 5 |
| desk report over 400 days (the longest period allowed) | — | $year_median ms | $year_max ms | 3 |
| SLA scanner pass over $open_clocks open clocks, recording $scan1_warnings warnings and $scan1_breaches breaches | < 1 s | $scan1_ms ms | | 1 |
| SLA scanner pass over the same clocks, nothing new to record | < 1 s | $scan2_ms ms | | 1 |
| \`vigil --help\` | < 100 ms | $help_ms ms | | 30 |

- Auto-assignment run: $assigned of $total_assign cases assigned; analysts over capacity afterwards: $over_capacity; analysts whose load counter differs from their assigned cases: $load_mismatch.
- Seeding: $(cat "$WORK/seed.txt"); analysts for the assignment run: $(cat "$WORK/seed-analysts.txt").
MD
python3 Tools/bench/assemble.py "$ROOT"
echo "written $RESULTS/$DB.md and BENCHMARKS.md"
cat "$RESULTS/$DB.md"
rm -rf "$WORK"
