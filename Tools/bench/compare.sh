#!/usr/bin/env bash
# Two builds of the server on the same data, in one run, alternating: is a commit faster or slower
# than an earlier one? This machine's speed drifts from day to day (and between minutes), so
# numbers from two separate `make bench` runs do not compare; rounds that alternate the builds do.
#   Tools/bench/compare.sh BASE_COMMIT [NEW_COMMIT]        (make bench-compare BASE=… [NEW=…])
#   CASES=300000 DURATION=20 CONNECTIONS=32 ROUNDS=3 ASSETS=300000 PORT=18082
#   NEW_BINARY=path / OLD_BINARY=path measure a build at hand instead of building that commit
#   (the table then names the path; with OLD_BINARY the base commit may be left out).
# Benchmarks, each as in run.sh / it_desk.sh:
#   intake  POST /api/incident-ops/cases, no queues (run.sh 1/6), each round on a fresh empty file;
#   list    the case list (list_cases.lua) over a seeded desk of CASES cases (run.sh 3/6 and 5/6);
#   view    the queue view (queue_view.lua) over the same desk;
#   import  asset CSV import of ASSETS rows through the CLI (it_desk.sh 1/6 and 2/6).
# Both builds come from git worktrees of the commits (.build-bench-base/{new,old}-tree, release
# builds in .build-bench-base/{new,old}-build), so edits in this tree during the run do not touch
# them; uncommitted changes are not measured. SQLite only. Writes Tools/bench/results/compare.md.
set -euo pipefail
# Binary paths as the caller meant them, before the cd below.
[ -n "${NEW_BINARY:-}" ] && NEW_BINARY="$(realpath -m "$NEW_BINARY")"
[ -n "${OLD_BINARY:-}" ] && OLD_BINARY="$(realpath -m "$OLD_BINARY")"
cd "$(dirname "$0")/../.."
source Tools/bench/common.sh
ROOT="$(pwd)"
usage() { echo "usage: Tools/bench/compare.sh BASE_COMMIT [NEW_COMMIT]   (or OLD_BINARY=path Tools/bench/compare.sh)" >&2; exit 2; }
BASE="${1:-}"
NEW="${2:-HEAD}"
[ -n "$BASE" ] || [ -n "${OLD_BINARY:-}" ] || usage
CASES="${CASES:-300000}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
ROUNDS="${ROUNDS:-3}"
ASSETS="${ASSETS:-300000}"
# Not run.sh's 18080 nor it_desk.sh's 18081, so a forgotten server of theirs is not measured.
PORT="${PORT:-18082}"
# The exact command, settings included, for the results file (so the run can be repeated).
COMMAND="CASES=$CASES DURATION=$DURATION CONNECTIONS=$CONNECTIONS ROUNDS=$ROUNDS ASSETS=$ASSETS"
[ -n "${NEW_BINARY:-}" ] && COMMAND+=" NEW_BINARY=$NEW_BINARY"
[ -n "${OLD_BINARY:-}" ] && COMMAND+=" OLD_BINARY=$OLD_BINARY"
COMMAND+=" Tools/bench/compare.sh${1:+ $1}${2:+ $2}"
RESULTS="$ROOT/Tools/bench/results"
mkdir -p "$RESULTS"
WORK="$(mktemp -d /tmp/vigil-compare.XXXXXX)"
export VIGIL_LOG_LEVEL=warning VIGIL_AUTH_BCRYPT_COST=4 VIGIL_BOOTSTRAP_CREATE_ADMIN=false
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# Whatever happens (an error under set -e, Ctrl-C), no server is left holding the port and the
# scratch databases (hundreds of MB at the default sizes) do not stay in /tmp.
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# build NAME COMMIT: a release build of COMMIT in its own worktree and scratch folder; sets BUILT.
# A failed build stops the run (rather than measuring a stale binary left in the scratch folder).
build() {
    local tree="$ROOT/.build-bench-base/$1-tree" scratch="$ROOT/.build-bench-base/$1-build" commit
    commit="$(git rev-parse --verify "$2^{commit}")"
    if [ "$(git -C "$tree" rev-parse HEAD 2>/dev/null)" != "$commit" ]; then
        rm -rf "$tree"; mkdir -p "$(dirname "$tree")"
        git worktree prune
        git worktree add --detach "$tree" "$commit" >/dev/null
    fi
    echo "building $2 ($(git rev-parse --short "$commit")) in .build-bench-base/$1-tree (release)…"
    if ! (cd "$tree" && swift build -c release --product vigil --scratch-path "$scratch" >"$WORK/build-$1.log" 2>&1); then
        tail -30 "$WORK/build-$1.log" >&2
        echo "the build of $2 failed" >&2; return 1
    fi
    tail -1 "$WORK/build-$1.log"
    BUILT="$scratch/release/vigil"
}
# NEW_LABEL / OLD_LABEL name the builds in the output: the commit, or the binary's path.
if [ -n "${NEW_BINARY:-}" ]; then NEWBIN="$NEW_BINARY"; NEW_LABEL="$NEW_BINARY"
else build new "$NEW"; NEWBIN="$BUILT"; NEW_LABEL="$(git rev-parse --short "$NEW")"; fi
if [ -n "${OLD_BINARY:-}" ]; then OLDBIN="$OLD_BINARY"; OLD_LABEL="$OLD_BINARY"
else build old "$BASE"; OLDBIN="$BUILT"; OLD_LABEL="$(git rev-parse --short "$BASE")"; fi
for binary in "$NEWBIN" "$OLDBIN"; do [ -x "$binary" ] || { echo "no binary at $binary" >&2; exit 1; }; done

# --- The data, made once with the older build's schema --------------------------------------
# Each build gets a copy of the same file; the newer build adds its own migrations to its copy
# (`migrate` before every start). The older build makes the files because the newer build's
# schema may not open in the older one, while the reverse is what an upgrade does anyway.
VIGIL="$OLDBIN"
# copy_db FROM TO: a SQLite file copied whole, its WAL folded in first so the copy holds every row.
copy_db() {
    checkpoint "$1"
    rm -f "$2" "$2-wal" "$2-shm"
    cp "$1" "$2"
}
# Users are made once in the seeded files; tokens are made per copy by the build that serves it.
user_add() {  # user_add EMAIL ROLE (REGION…|--all-regions), as run.sh's token_for
    local email="$1" role="$2"; shift 2
    local regions=(); for r in "$@"; do if [ "$r" = "--all-regions" ]; then regions+=("$r"); else regions+=(--region "$r"); fi; done
    "$VIGIL" user add --email "$email" --name "Bench $role" --role "$role" "${regions[@]}" >/dev/null
}
token() { "$1" token create --user "$2" --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])'; }
queue() {  # queue REGION NAME STRATEGY [options] → prints the id (run.sh's)
    local region="$1" name="$2" strategy="$3"; shift 3
    "$VIGIL" incident-ops queue create --region "$region" --name "$name" --strategy "$strategy" "$@" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

echo "data (made with $OLD_LABEL):"
# 1. Intake: an empty migrated file with the admin (run.sh 1/6). Intake writes, so every round
#    starts from a fresh copy of it: both builds write into the same empty file.
export VIGIL_DATABASE_URL="$WORK/intake.sqlite"
"$VIGIL" migrate >/dev/null
user_add bench.admin@example.com admin --all-regions
echo "   intake: an empty database"

# 2. The desk for list and view: run.sh 3/6 — seven queues, CASES cases of history.
export VIGIL_DATABASE_URL="$WORK/desk.sqlite"
"$VIGIL" migrate >/dev/null
user_add bench.admin@example.com admin --all-regions
user_add bench.analyst@example.com analyst BR-SP BR-RJ MX-CMX
desk_queues
# The ids are in the file, so they hold in every copy of it.
export QUEUES="$(IFS=,; echo "${view_queues[*]}")"
echo "   desk: seeding $CASES cases…"
python3 Tools/bench/seed_desk.py --sqlite "$VIGIL_DATABASE_URL" --cases "$CASES" "${queue_args[@]}" >"$WORK/seed.txt"
echo "   $(cat "$WORK/seed.txt")"

# 3. The asset import: it_desk.sh 1/6 — sites, cost centers and models, then the generated file.
#    The import writes, so every round imports into a fresh copy.
export VIGIL_DATABASE_URL="$WORK/assets.sqlite"
"$VIGIL" migrate >/dev/null
seed_it_offices "$VIGIL"
python3 Tools/bench/gen_assets.py --rows "$ASSETS" --seed 42 >"$WORK/assets.csv"
echo "   assets: $ASSETS rows generated (seed 42, $(du -m "$WORK/assets.csv" | cut -f1) MB)"

# --- Measuring -------------------------------------------------------------------------------
# prepare BINARY TEMPLATE: a fresh copy of TEMPLATE as the database, migrated by BINARY.
prepare() {
    export VIGIL_DATABASE_URL="$WORK/run.sqlite"
    copy_db "$2" "$VIGIL_DATABASE_URL"
    "$1" migrate >/dev/null
}
start_server() {  # start_server BINARY: one server at a time, always on the same port
    # Something already answering on the port would be measured instead of this build.
    if curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then echo "port $PORT is already in use" >&2; exit 1; fi
    "$1" serve --port "$PORT" >"$WORK/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""; }
# Every measurement is a line "benchmark build round rate p99 bad" (bad: non-2xx or rejected rows).
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$WORK/results.tsv"; }
load() {  # load BENCH BUILD ROUND SCRIPT TOKEN: run.sh's load, 5 s warm-up then DURATION s
    TOKEN="$5" wrk -t2 -c"$CONNECTIONS" -d5s -s "$4" "http://127.0.0.1:$PORT" >/dev/null
    TOKEN="$5" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$4" "http://127.0.0.1:$PORT" >"$WORK/wrk.txt"
    local rps p50 p90 p99 non2xx
    read -r rps p50 p90 p99 non2xx <<<"$(summarize "$WORK/wrk.txt")"
    record "$1" "$2" "$3" "$rps" "$p99" "$non2xx"
    printf '   %-6s %-3s %8s requests/s, p99 %7s ms, non-2xx %s\n' "$1" "$2" "$rps" "$p99" "$non2xx"
}

for round in $(seq 1 "$ROUNDS"); do
    # Each benchmark runs both builds back to back, so the two numbers compared are minutes apart,
    # not a whole round; who goes first swaps every round, so neither build always gets the
    # warmer (or cooler) machine, page cache or disk.
    if [ $((round % 2)) -eq 1 ]; then order=(old new); else order=(new old); fi
    echo "round $round of $ROUNDS (${order[*]})"
    for name in "${order[@]}"; do
        binary="$OLDBIN"; [ "$name" = new ] && binary="$NEWBIN"
        prepare "$binary" "$WORK/intake.sqlite"
        admin="$(token "$binary" bench.admin@example.com)"
        start_server "$binary"
        load intake "$name" "$round" Tools/bench/post_case.lua "$admin"
        stop_server
    done
    for name in "${order[@]}"; do
        binary="$OLDBIN"; [ "$name" = new ] && binary="$NEWBIN"
        # A fresh copy per round too, though these are reads: the server's SLA pass on start
        # records warnings and breaches, and each start should find the same file.
        prepare "$binary" "$WORK/desk.sqlite"
        analyst="$(token "$binary" bench.analyst@example.com)"
        start_server "$binary"
        load list "$name" "$round" Tools/bench/list_cases.lua "$analyst"
        load view "$name" "$round" Tools/bench/queue_view.lua "$analyst"
        stop_server
    done
    for name in "${order[@]}"; do
        binary="$OLDBIN"; [ "$name" = new ] && binary="$NEWBIN"
        prepare "$binary" "$WORK/assets.sqlite"
        # it_desk.sh's first import (the rows/s it reports); no server runs meanwhile.
        "$binary" it-service-desk asset import "$WORK/assets.csv" --quiet --json >"$WORK/import.json"
        read -r rate seconds rejected <<<"$(python3 - "$WORK/import.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f'{r["rows"] / r["seconds"]:.0f} {r["seconds"]:.1f} {r["rejected"]}')
PY
)"
        record import "$name" "$round" "$rate" "" "$rejected"
        printf '   %-6s %-3s %8s rows/s (%s s), rejected %s\n' import "$name" "$rate" "$seconds" "$rejected"
    done
done
rm -f "$WORK/run.sqlite"

# --- The table -------------------------------------------------------------------------------
cpu="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"
ram="$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo)"
{
    cat <<MD
### $NEW_LABEL (new) against $OLD_LABEL (old), alternating (SQLite)

Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($cpu), $ram RAM:
\`$COMMAND\`

Data made once with the old build and copied fresh for every run of either build: intake into an
empty database; list and view over a seeded desk ($(cat "$WORK/seed.txt")); import of $ASSETS
assets (\`gen_assets.py --seed 42\`) through the CLI. wrk with $CONNECTIONS connections for $DURATION s
after a 5 s warm-up. Rounds: $ROUNDS, each benchmark running both builds back to back, old first in
odd rounds and new first in even ones; medians over the rounds. New ÷ old above 1 is faster for
the rate, slower for p99.

MD
    python3 - "$WORK/results.tsv" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
names = {"intake": "case intake, no queues (POST, post_case.lua)", "list": "case list, 50 per page, filtered (list_cases.lua)",
         "view": "queue view, 50 per page by SLA due (queue_view.lua)", "import": "asset CSV import through the CLI (rows/s)"}
def med(bench, build, column):
    values = [float(r[column]) for r in rows if r[0] == bench and r[1] == build and r[column] != ""]
    return statistics.median(values) if values else None
def ratio(new, old):
    return f"{new / old:.2f}×" if new is not None and old else "—"
def fmt(value, digits):
    return "—" if value is None else f"{value:,.{digits}f}"
print("| benchmark | old /s | new /s | new ÷ old | old p99 ms | new p99 ms | new ÷ old | non-2xx or rejected (old, new) |")
print("|---|---|---|---|---|---|---|---|")
for bench in ("intake", "list", "view", "import"):
    old_rate, new_rate = med(bench, "old", 3), med(bench, "new", 3)
    old_p99, new_p99 = med(bench, "old", 4), med(bench, "new", 4)
    bad = [sum(int(r[5]) for r in rows if r[0] == bench and r[1] == build) for build in ("old", "new")]
    print(f"| {names[bench]} | {fmt(old_rate, 0)} | {fmt(new_rate, 0)} | {ratio(new_rate, old_rate)} | {fmt(old_p99, 2)} | {fmt(new_p99, 2)} "
          f"| {ratio(new_p99, old_p99)} | {bad[0]}, {bad[1]} |")
print()
print("| round | benchmark | build | /s | p99 ms | non-2xx or rejected |")
print("|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r[2]} | {r[0]} | {r[1]} | {int(r[3]):,} | {r[4] or '—'} | {r[5]} |")
PY
} >"$RESULTS/compare.md"
echo
cat "$RESULTS/compare.md"
echo "written $RESULTS/compare.md"
