#!/usr/bin/env bash
# The console pages of several builds in one run, in rotating order, on the same seeded
# 1,000,000-case desk as `make bench-console`: each run takes a fresh copy of the seeded file (made
# with the first build's schema), lets its build migrate it, signs a coordinator in and loads the
# four regions' dashboards, then the 2,000 case pages, at 8 connections for DURATION s each after a
# 5 s warm-up. Prints, per run: round, page, build, requests/s, p50, p99 (ms); then each build's
# median p99 per page.
#   Tools/bench/console_builds.sh BINARY... (ROUNDS=2 DURATION=20 CASES=1000000 PORT=18094)
# Build the binaries first (see intake_builds.sh); the first must be the oldest schema.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/bench/common.sh
[ $# -ge 1 ] || { echo "usage: Tools/bench/console_builds.sh BINARY..." >&2; exit 2; }
DB=sqlite
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-20}"
CASES="${CASES:-1000000}"
PORT="${PORT:-18094}"
CONNECTIONS=8
WORK="$(mktemp -d /tmp/vigil-console-builds.XXXXXX)"
export VIGIL_LOG_LEVEL=warning
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
trap 'if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
binaries=("$@")

VIGIL="${binaries[0]}"
fresh_database seeded
echo bench-console-pass-1 | "$VIGIL" user add --email coordinator@example.com --name "Bench coordinator" --role shift-coordinator \
    --region BR-SP --region BR-RJ --region MX-CMX --region CO-DC --password-stdin >/dev/null
desk_queues
python3 Tools/bench/seed_desk.py $(seed_target) --cases "$CASES" "${queue_args[@]}" >/dev/null
console_paths
checkpoint "$WORK/seeded.sqlite"

mapfile -t runs < <(turns "$ROUNDS" "${binaries[@]}")
for run in "${runs[@]}"; do
    read -r round VIGIL <<<"$run"
    run_copy "$WORK/seeded.sqlite" "$VIGIL"
    start_server
    session="$(python3 Tools/bench/console_session.py "http://127.0.0.1:$PORT" coordinator@example.com bench-console-pass-1)"
    PATHS="$WORK/dashboards.txt" load dashboard Tools/bench/console_page.lua "$session" >/dev/null
    PATHS="$WORK/cases.txt" load casepage Tools/bench/console_page.lua "$session" >/dev/null
    stop_server
    echo "$round dashboard $VIGIL $dashboard_rps $dashboard_p50 $dashboard_p99" | tee -a "$WORK/runs"
    echo "$round case-page $VIGIL $casepage_rps $casepage_p50 $casepage_p99" | tee -a "$WORK/runs"
done
echo "median p99 ms per page and build:"
python3 - "$WORK/runs" <<'PY'
import statistics, sys
p99 = {}
for line in open(sys.argv[1]):
    _, page, build, _, _, value = line.split()
    p99.setdefault((page, build), []).append(float(value))
for (page, build), values in sorted(p99.items()):
    print(f"  {page} {build}: {statistics.median(values):.1f} ({', '.join(f'{v:.1f}' for v in values)})")
PY
