#!/usr/bin/env bash
# Does a long report stall the reads beside it? Case-list p99 at 8 connections while idle, then
# while two 400-day desk reports run back to back, for a commit's build and an earlier commit's,
# in the same run and alternating (this machine's speed drifts from day to day).
#   Tools/bench/report_beside_reads.sh [BASE_COMMIT|none] [NEW_COMMIT]   (make bench-report-beside-reads)
#   CASES=300000 DURATION=20 ROUNDS=2
# Both builds come from git worktrees of the commits, so edits in this tree during the run do
# not touch them. Writes Tools/bench/results/report-beside-reads.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
BASE="${1:-${BASE:-2dfdbe0}}"
NEW="${2:-${NEW:-HEAD}}"
CASES="${CASES:-300000}"
DURATION="${DURATION:-20}"
ROUNDS="${ROUNDS:-2}"
PORT="${PORT:-18081}"
WORK="$(mktemp -d /tmp/vigil-beside.XXXXXX)"
export VIGIL_LOG_LEVEL=warning VIGIL_AUTH_BCRYPT_COST=4 VIGIL_BOOTSTRAP_CREATE_ADMIN=false
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# build NAME COMMIT: a release build of COMMIT in its own worktree and scratch folder.
build() {
    local tree="$ROOT/.build-bench-base/$1-tree" commit
    commit="$(git rev-parse "$2")"
    if [ "$(git -C "$tree" rev-parse HEAD 2>/dev/null)" != "$commit" ]; then
        rm -rf "$tree"; mkdir -p "$(dirname "$tree")"
        git worktree prune
        git worktree add --detach "$tree" "$commit" >/dev/null
    fi
    (cd "$tree" && swift build -c release --product vigil --scratch-path "$ROOT/.build-bench-base/$1-build" 2>&1 | grep -E "error|Build" | tail -1) >&2
    echo "$ROOT/.build-bench-base/$1-build/release/vigil"
}
echo "building $NEW and $BASE (release)…"
# NEW_BINARY=path measures a build at hand instead (a quick look; the table says which).
if [ -n "${NEW_BINARY:-}" ]; then NEWBIN="$NEW_BINARY"; NEW="$NEW_BINARY"; else NEWBIN="$(build new "$NEW")"; fi
builds=(new)
if [ "$BASE" != "none" ]; then OLDBIN="$(build old "$BASE")"; builds=(old new); else OLDBIN="$NEWBIN"; fi

# One seeded desk, made with the earlier build's schema and copied for each binary (the newer
# build adds its migrations to its copy on start).
export VIGIL_DATABASE_URL="$WORK/seed.sqlite"
"$OLDBIN" migrate >/dev/null
"$OLDBIN" user add --email bench.admin@example.com --name "Bench admin" --admin >/dev/null
"$OLDBIN" user add --email bench.analyst@example.com --name "Bench analyst" --role analyst --region BR-SP --region BR-RJ --region MX-CMX >/dev/null
echo "seeding $CASES cases…"
python3 Tools/bench/seed_desk.py --sqlite "$VIGIL_DATABASE_URL" --cases "$CASES" --seed 42 >"$WORK/seed.txt"
for name in "${builds[@]}"; do cp "$WORK/seed.sqlite" "$WORK/$name.sqlite"; done
token() { "$1" token create --user "$2" --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])'; }

p99() { python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", text); v, u = float(m.group(1)), m.group(2)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{v / 1000 if u == 'us' else v * 1000 if u == 's' else v:.2f} {rps:.0f}")
PY
}

declare -A results
for round in $(seq 1 "$ROUNDS"); do
    for name in "${builds[@]}"; do
        binary="$OLDBIN"; [ "$name" = new ] && binary="$NEWBIN"
        export VIGIL_DATABASE_URL="$WORK/$name.sqlite"
        "$binary" migrate >/dev/null
        analyst="$(token "$binary" bench.analyst@example.com)"
        admin="$(token "$binary" bench.admin@example.com)"
        "$binary" serve --port "$PORT" >"$WORK/$name.log" 2>&1 &
        server=$!
        for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
        TOKEN="$analyst" wrk -t2 -c8 -d5s -s Tools/bench/list_cases.lua "http://127.0.0.1:$PORT" >/dev/null
        TOKEN="$analyst" wrk -t2 -c8 -d"${DURATION}s" --latency -s Tools/bench/list_cases.lua "http://127.0.0.1:$PORT" >"$WORK/idle.txt"
        read -r idle idle_rps <<<"$(p99 "$WORK/idle.txt")"
        # Two long reports back to back for the whole measurement (each a few seconds of scanning).
        from="$(date -u -d '-400 days' +%Y-%m-%dT%H:%M:%SZ)"; to="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        reports=0
        loop() { while :; do curl -sf -o /dev/null -H "Authorization: Bearer $admin" "http://127.0.0.1:$PORT/api/incident-ops/reports/desk?from=$from&to=$to" && echo x; done; }
        loop >"$WORK/reports1.txt" & r1=$!
        loop >"$WORK/reports2.txt" & r2=$!
        sleep 2
        TOKEN="$analyst" wrk -t2 -c8 -d"${DURATION}s" --latency -s Tools/bench/list_cases.lua "http://127.0.0.1:$PORT" >"$WORK/beside.txt"
        kill "$r1" "$r2" 2>/dev/null || true; wait "$r1" "$r2" 2>/dev/null || true
        reports=$(( $(wc -l <"$WORK/reports1.txt") + $(wc -l <"$WORK/reports2.txt") ))
        read -r beside beside_rps <<<"$(p99 "$WORK/beside.txt")"
        kill -TERM "$server"; wait "$server" || true
        ratio="$(python3 -c "print(f'{$beside / $idle:.2f}')")"
        echo "round $round $name: idle p99 $idle ms ($idle_rps/s), beside $reports reports p99 $beside ms ($beside_rps/s): ${ratio}×"
        results[$name]+="| $round | $name | $idle | $idle_rps | $beside | $beside_rps | $reports | ${ratio}× |"$'\n'
    done
done

cpu="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"
cat >Tools/bench/results/report-beside-reads.md <<MD
### A long report beside case reads (SQLite)

Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($cpu); \`make bench-report-beside-reads\`
(Tools/bench/report_beside_reads.sh $BASE $NEW: base = $([ "$BASE" = none ] && echo none || git rev-parse --short "$BASE"), new = $(git rev-parse --short "$NEW" 2>/dev/null || echo "$NEW"));
$(cat "$WORK/seed.txt"); case list (Tools/bench/list_cases.lua) at 8 connections for ${DURATION} s, idle and
while two 400-day desk reports run back to back; rounds alternate the builds.

| round | build | idle p99 ms | idle req/s | beside p99 ms | beside req/s | reports done | p99 beside ÷ idle |
|---|---|---|---|---|---|---|---|
${results[old]:-}${results[new]}
MD
cat Tools/bench/results/report-beside-reads.md
rm -rf "$WORK"
