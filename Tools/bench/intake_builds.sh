#!/usr/bin/env bash
# Case intake of several builds in one run, in rotating order: which commit lost (or won) intake
# speed? Each run starts a build on a fresh copy of the same migrated empty file, warms up for 4 s,
# then posts cases (post_case.lua) at 32 connections for DURATION s while `perf stat` counts the
# server's CPU time. Prints, per run: build, requests/s, CPU microseconds per request; then the
# median requests/s of each build.
#   Tools/bench/intake_builds.sh BINARY... (ROUNDS=4 DURATION=10 PORT=18093)
# Build the binaries first, e.g. `git worktree add /tmp/t COMMIT && (cd /tmp/t && swift build -c
# release --product vigil)`. SQLite only.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/bench/common.sh
[ $# -ge 1 ] || { echo "usage: Tools/bench/intake_builds.sh BINARY..." >&2; exit 2; }
ROUNDS="${ROUNDS:-4}"
DURATION="${DURATION:-10}"
PORT="${PORT:-18093}"
WORK="$(mktemp -d /tmp/vigil-intake.XXXXXX)"
export VIGIL_LOG_LEVEL=warning VIGIL_AUTH_BCRYPT_COST=4 VIGIL_BOOTSTRAP_CREATE_ADMIN=false
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
binaries=("$@")
# The empty file, made by the first build (the others add their migrations to their copies).
export VIGIL_DATABASE_URL="$WORK/empty.sqlite"
"${binaries[0]}" migrate >/dev/null
"${binaries[0]}" user add --email bench.admin@example.com --name "Bench admin" --role admin --all-regions >/dev/null
checkpoint "$WORK/empty.sqlite"
mapfile -t runs < <(turns "$ROUNDS" "${binaries[@]}")
for run in "${runs[@]}"; do
    read -r round binary <<<"$run"
    run_copy "$WORK/empty.sqlite" "$binary"
    token="$("$binary" token create --user bench.admin@example.com --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
    VIGIL="$binary" start_server
    TOKEN="$token" wrk -t2 -c32 -d4s -s Tools/bench/post_case.lua "http://127.0.0.1:$PORT" >/dev/null
    perf stat -e task-clock -p "$server_pid" -o "$WORK/stat" &
    perf_pid=$!
    sleep 0.5
    TOKEN="$token" wrk -t2 -c32 -d"${DURATION}s" -s Tools/bench/post_case.lua "http://127.0.0.1:$PORT" >"$WORK/wrk"
    sleep 0.3
    kill -INT "$perf_pid"; wait "$perf_pid" || true
    stop_server
    requests="$(awk '/requests in/ {print $1}' "$WORK/wrk")"
    millis="$(awk '/task-clock/ {gsub(",", "", $1); print $1}' "$WORK/stat")"
    python3 -c "import sys; n, b, r, ms, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]); print(f'{n} {b} {r / d:.0f} {ms * 1000 / r:.1f}')" \
        "$round" "$binary" "$requests" "$millis" "$DURATION" | tee -a "$WORK/runs"
done
echo "median requests/s per build:"
python3 - "$WORK/runs" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    _, build, rate, _ = line.split()
    rates.setdefault(build, []).append(float(rate))
for build, values in rates.items():
    print(f"  {build}: {statistics.median(values):.0f} ({', '.join(f'{v:.0f}' for v in values)})")
PY
