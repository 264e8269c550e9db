#!/usr/bin/env bash
# IT service desk benchmarks (issue 4), written to Tools/bench/results/it-sqlite.md and from there
# into BENCHMARKS.md. Reproducible: a release build, a fresh SQLite file, a seeded asset file.
#   Tools/bench/it_desk.sh        (make bench-it)
#   ROWS=1000000 DURATION=30 CONNECTIONS=32 Tools/bench/it_desk.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/bench/common.sh
ROOT="$(pwd)"
ROWS="${ROWS:-1000000}"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18081}"
WORK="$(mktemp -d /tmp/vigil-it-bench.XXXXXX)"
RESULTS="$ROOT/Tools/bench/results"
mkdir -p "$RESULTS"
export VIGIL_LOG_LEVEL=warning
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

echo "building release…"
swift build -c release --product vigil 2>&1 | grep -E "error|Build" | tail -1
VIGIL="$ROOT/.build/release/vigil"
IT="$VIGIL it-service-desk"
export VIGIL_DATABASE_URL="$WORK/it.sqlite"
"$VIGIL" migrate >/dev/null

echo "1/6 sites, cost centers and models; $ROWS assets generated (seed 42)"
seed_it_offices "$VIGIL"
python3 Tools/bench/gen_assets.py --rows "$ROWS" --seed 42 >"$WORK/assets.csv"
file_mb="$(du -m "$WORK/assets.csv" | cut -f1)"

echo "2/6 import of $ROWS rows ($file_mb MB) through the CLI"
import_once() {  # → "rows/s seconds created updated unchanged rejected maxRSS_MB"
    /usr/bin/time -f "%M" -o "$WORK/rss.txt" $IT asset import "$WORK/assets.csv" --quiet --json >"$WORK/import.json"
    python3 - "$WORK/import.json" "$WORK/rss.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rss = int(open(sys.argv[2]).read().split()[-1]) // 1024
print(f'{r["rows"] / r["seconds"]:.0f} {r["seconds"]:.1f} {r["created"]} {r["updated"]} {r["unchanged"]} {r["rejected"]} {rss}')
PY
}
read -r import_rate import_seconds import_created _ _ import_rejected import_rss <<<"$(import_once)"
echo "   $import_rate rows/s ($import_seconds s), $import_created created, $import_rejected rejected, max RSS $import_rss MB"
read -r reimport_rate reimport_seconds _ reimport_updated reimport_unchanged _ reimport_rss <<<"$(import_once)"
echo "   again: $reimport_rate rows/s, $reimport_unchanged unchanged, $reimport_updated updated, max RSS $reimport_rss MB"

"$VIGIL" user add --email bench.it@example.com --name "Bench IT" --role it-manager --all-regions >/dev/null
TOKEN="$("$VIGIL" token create --user bench.it@example.com --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
"$VIGIL" serve --port "$PORT" >"$WORK/server.log" 2>&1 &
server_pid=$!
trap 'kill -TERM $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

echo "3/6 asset list by site and status, 50 per page, $CONNECTIONS connections"
TOKEN="$TOKEN" wrk -t2 -c"$CONNECTIONS" -d5s -s Tools/bench/list_assets.lua "http://127.0.0.1:$PORT" >/dev/null
TOKEN="$TOKEN" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Tools/bench/list_assets.lua "http://127.0.0.1:$PORT" >"$WORK/list.txt"
read -r list_rps list_p50 list_p90 list_p99 list_non2xx <<<"$(python3 - "$WORK/list.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def pct(p):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{rps:.0f} {pct(50):.2f} {pct(90):.2f} {pct(99):.2f} {non2xx.group(1) if non2xx else 0}")
PY
)"
echo "   $list_rps requests/s, p50 $list_p50 ms, p99 $list_p99 ms, non-2xx $list_non2xx"
TOKEN="$TOKEN" wrk -t2 -c8 -d"${DURATION}s" --latency -s Tools/bench/list_assets.lua "http://127.0.0.1:$PORT" >"$WORK/list8.txt"
list8_p99="$(python3 -c 'import re,sys; m=re.search(r"\s99%\s+([\d.]+)(us|ms|s)", open(sys.argv[1]).read()); v=float(m.group(1)); print("%.2f" % (v/1000 if m.group(2)=="us" else v*1000 if m.group(2)=="s" else v))' "$WORK/list8.txt")"
list8_rps="$(python3 -c 'import re,sys; print("%.0f" % float(re.search(r"Requests/sec:\s+([\d.]+)", open(sys.argv[1]).read()).group(1)))' "$WORK/list8.txt")"
echo "   at 8 connections: $list8_rps requests/s, p99 $list8_p99 ms"

echo "4/6 book value of every asset as of 2026-12-31, by cost center"
read -r book_median book_max book_runs _ <<<"$(TOKEN="$TOKEN" python3 Tools/bench/time_requests.py --runs 3 GET "http://127.0.0.1:$PORT/api/it-service-desk/reports/book-value?asOf=2026-12-31")"
echo "   median $book_median ms, max $book_max ms"
server_rss="$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")"

echo "5/6 depreciation of fiscal year 2026 by cost center"
read -r dep_median dep_max dep_runs _ <<<"$(TOKEN="$TOKEN" python3 Tools/bench/time_requests.py --runs 3 GET "http://127.0.0.1:$PORT/api/it-service-desk/reports/depreciation?fiscalYear=2026")"
echo "   median $dep_median ms, max $dep_max ms"

echo "6/6 purchase forecast, 8 quarters (headcount plans, devices per person, budgets set)"
for code in SP-HQ RJ-CENTRO CMX-REFORMA; do $IT forecast headcount --site "$code" --quarter 2027-Q2 --delta 40 >/dev/null; done
$IT forecast devices-per-person --model "ThinkPad T14" --per-person 1 >/dev/null
$IT forecast devices-per-person --model "HP LaserJet M404" --per-person 0.1 >/dev/null
$IT forecast replacement-rule --category printer --rule warranty-end >/dev/null
$IT budget set-rate --currency MXN --effective-on 2026-01-01 --rate 0.27 >/dev/null
$IT budget set-rate --currency COP --effective-on 2026-01-01 --rate 0.0013 >/dev/null
$IT budget set --fiscal-year 2027 --cost-center CC-00-0 --kind capex --category hardware --amount 2500000.00 --currency BRL >/dev/null
read -r forecast_median forecast_max forecast_runs _ <<<"$(TOKEN="$TOKEN" python3 Tools/bench/time_requests.py --runs 3 GET "http://127.0.0.1:$PORT/api/it-service-desk/forecast?quarters=8&from=2027-Q1")"
forecast_lines="$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/it-service-desk/forecast?quarters=8&from=2027-Q1" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r["lines"]), r["assetsRead"])')"
echo "   median $forecast_median ms, max $forecast_max ms ($forecast_lines lines / assets read)"
kill -TERM "$server_pid"; wait "$server_pid" || true

cpu="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"
cat >"$RESULTS/it-sqlite.md" <<MD
### IT service desk, SQLite file (WAL, synchronous=FULL)

Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo) RAM; \`make bench-it\`; asset file from \`Tools/bench/gen_assets.py --rows $ROWS --seed 42\` ($file_mb MB).

| benchmark | target | result | notes |
|---|---|---|---|
| asset CSV import, $ROWS rows, CLI | ≥ 50,000 rows/s, memory flat | $import_rate rows/s ($import_seconds s) | $import_created created, $import_rejected rejected; max RSS $import_rss MB |
| the same file again (idempotent re-import) | — | $reimport_rate rows/s ($reimport_seconds s) | $reimport_unchanged unchanged, $reimport_updated updated; max RSS $reimport_rss MB |
| asset list by site and status, 50 per page, $CONNECTIONS connections | p99 < 15 ms | $list_rps requests/s | p50 $list_p50 ms, p90 $list_p90 ms, **p99 $list_p99 ms**, non-2xx $list_non2xx |
| the same list at 8 connections | — | $list8_rps requests/s | p99 $list8_p99 ms |
| book value of every asset as of a date, by cost center | < 3 s | median $book_median ms | max $book_max ms over $book_runs runs; server RSS after: $server_rss MB |
| fiscal year depreciation by cost center | — | median $dep_median ms | max $dep_max ms over $dep_runs runs |
| purchase forecast, 8 quarters, over the same assets | < 5 s | median $forecast_median ms | max $forecast_max ms over $forecast_runs runs; lines and assets read: $forecast_lines |
MD
python3 Tools/bench/assemble.py "$ROOT"
rm -rf "$WORK"
echo "wrote $RESULTS/it-sqlite.md"
