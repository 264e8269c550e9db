#!/usr/bin/env bash
# The coordinator dashboard of several builds in one run, in rotating order, on the same seeded
# 1,000,000-case desk as `make bench-console`: each run takes a fresh copy of the seeded file (made
# with the first build's schema), lets its build migrate it, signs a coordinator in and loads the
# four regions' dashboards at 8 connections for DURATION s after a 5 s warm-up. Prints, per run:
# round, build, requests/s, p50, p99 (ms); then each build's median p99.
#   Tools/bench/dashboard_builds.sh BINARY... (ROUNDS=2 DURATION=20 CASES=1000000 PORT=18094)
# Build the binaries first (see intake_builds.sh); the first must be the oldest schema.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/bench/common.sh
[ $# -ge 1 ] || { echo "usage: Tools/bench/dashboard_builds.sh BINARY..." >&2; exit 2; }
DB=sqlite
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-20}"
CASES="${CASES:-1000000}"
PORT="${PORT:-18094}"
CONNECTIONS=8
WORK="$(mktemp -d /tmp/vigil-dashboard.XXXXXX)"
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
checkpoint "$WORK/seeded.sqlite"
for region in BR-SP BR-RJ MX-CMX CO-DC; do echo "/console/incident-ops?region=$region"; done >"$WORK/dashboards.txt"

mapfile -t runs < <(turns "$ROUNDS" "${binaries[@]}")
for run in "${runs[@]}"; do
    read -r round VIGIL <<<"$run"
    run_copy "$WORK/seeded.sqlite" "$VIGIL"
    start_server
    session="$(python3 Tools/bench/console_session.py "http://127.0.0.1:$PORT" coordinator@example.com bench-console-pass-1)"
    PATHS="$WORK/dashboards.txt" load dashboard Tools/bench/console_page.lua "$session" >/dev/null
    stop_server
    echo "$round $VIGIL $dashboard_rps $dashboard_p50 $dashboard_p99" | tee -a "$WORK/runs"
done
echo "median p99 ms per build:"
python3 - "$WORK/runs" <<'PY'
import statistics, sys
p99 = {}
for line in open(sys.argv[1]):
    _, build, _, _, value = line.split()
    p99.setdefault(build, []).append(float(value))
for build, values in p99.items():
    print(f"  {build}: {statistics.median(values):.1f} ({', '.join(f'{v:.1f}' for v in values)})")
PY
