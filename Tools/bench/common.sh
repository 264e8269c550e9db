# Shared by the benchmark scripts (sourced after they cd to the project's root). The functions
# below read the caller's DB (sqlite|postgres), PG_URL, WORK, VIGIL, PORT, DURATION, CONNECTIONS.

# summarize WRK_OUTPUT_FILE → "requests/s p50 p90 p99 non2xx" (latencies in ms)
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
print(f"{float(rps):.0f} {pct(50):.2f} {pct(90):.2f} {pct(99):.2f} {non2xx.group(1) if non2xx else 0}")
PY
}

# seed_it_offices VIGIL: the IT desk's ten offices, five cost centers each and the generator's
# asset models, on the database VIGIL_DATABASE_URL names (what gen_assets.py's rows refer to).
seed_it_offices() {
    local it="$1 it-service-desk"
    for spec in "SP-HQ:BR-SP:BRL:America/Sao_Paulo" "SP-PINHEIROS:BR-SP:BRL:America/Sao_Paulo" "SP-CAMPINAS:BR-SP:BRL:America/Sao_Paulo" \
                "RJ-CENTRO:BR-RJ:BRL:America/Sao_Paulo" "BH-SAVASSI:BR-SP:BRL:America/Sao_Paulo" "POA-MOINHOS:BR-SP:BRL:America/Sao_Paulo" \
                "REC-BOAVIAGEM:BR-SP:BRL:America/Sao_Paulo" "CWB-BATEL:BR-SP:BRL:America/Sao_Paulo" "CMX-REFORMA:MX-CMX:MXN:America/Mexico_City" \
                "BOG-CHICO:CO-DC:COP:America/Bogota"; do
        IFS=: read -r code region currency zone <<<"$spec"
        $it site create --code "$code" --name "$code office" --country "${region%%-*}" --region "$region" --time-zone "$zone" --currency "$currency" >/dev/null
    done
    local index=0
    for code in SP-HQ SP-PINHEIROS SP-CAMPINAS RJ-CENTRO BH-SAVASSI POA-MOINHOS REC-BOAVIAGEM CWB-BATEL CMX-REFORMA BOG-CHICO; do
        for n in 0 1 2 3 4; do $it site add-cost-center "$code" --cost-center "$(printf 'CC-%02d-%d' $index $n)" --name "Cost center $n" >/dev/null; done
        index=$((index + 1))
    done
    python3 - "$1" <<'PY'
import subprocess, sys
sys.path.insert(0, "Tools/bench")
from gen_assets import MODELS
for name, category, life, unit in MODELS:
    method = "declining-balance:2" if category in ("laptop", "phone", "tablet") else "straight-line"
    subprocess.run([sys.argv[1], "it-service-desk", "asset", "add-model", "--name", name, "--manufacturer", name.split()[0], "--category", category,
                    "--life-months", str(life), "--unit-cost", f"{unit // 100}.{unit % 100:02d}", "--currency", "BRL", "--depreciation", method],
                   check=True, stdout=subprocess.DEVNULL)
PY
}

# desk_queues: the bench desk's seven queues (three strategies, four regions), made with the
# caller's `queue REGION NAME STRATEGY` (prints the id). Sets queue_args (seed_desk.py's --queue
# options) and view_queues (the ids the queue view reads: all but CO-DC's).
desk_queues() {
    queue_args=()
    view_queues=()
    local spec region name strategy id
    for spec in "BR-SP:SP desk:least-loaded" "BR-SP:SP drivers:round-robin" "BR-SP:SP medical:skill-based" "BR-RJ:RJ desk:availability-aware" \
                "BR-RJ:RJ clients:least-loaded" "MX-CMX:CMX desk:least-loaded" "CO-DC:DC desk:round-robin"; do
        IFS=: read -r region name strategy <<<"$spec"
        id="$(queue "$region" "$name" "$strategy")"
        queue_args+=(--queue "$region=$id")
        if [ "$region" != "CO-DC" ]; then view_queues+=("$id"); fi
    done
}

# fresh_database NAME: a new SQLite file or a new database in the bench cluster, migrated;
# exports VIGIL_DATABASE_URL.
fresh_database() {
    if [ "$DB" = "postgres" ]; then
        psql "$PG_URL" -qAt -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
        export VIGIL_DATABASE_URL="${PG_URL%/*}/$1"
    else
        export VIGIL_DATABASE_URL="$WORK/$1.sqlite"
    fi
    "$VIGIL" migrate >/dev/null
}
# console_paths: the pages the console benchmarks ask for, in $WORK/dashboards.txt (each region's
# dashboard) and $WORK/cases.txt (1,000 open and 1,000 closed case pages the coordinator may read,
# no sensitive ones: those answer 404 to a coordinator, in id order).
console_paths() {
    for region in BR-SP BR-RJ MX-CMX CO-DC; do echo "/console/incident-ops?region=$region"; done >"$WORK/dashboards.txt"
    {
        query "SELECT id FROM incident_cases WHERE sensitive = 0 AND status NOT IN ('resolved', 'closed') ORDER BY id LIMIT 1000"
        query "SELECT id FROM incident_cases WHERE sensitive = 0 AND status IN ('resolved', 'closed') ORDER BY id LIMIT 1000"
    } | sed 's|^|/console/incident-ops/cases/|' >"$WORK/cases.txt"
}
# Builds compared in one run take turns: `turns ROUNDS BINARY...` prints "ROUND BINARY" per run,
# each round starting one build later, so that no build always runs first on a cooler machine.
turns() {
    local rounds="$1" round offset
    shift
    local builds=("$@")
    for round in $(seq 1 "$rounds"); do
        for offset in "${!builds[@]}"; do echo "$round ${builds[$(( (offset + round) % ${#builds[@]} ))]}"; done
    done
}
# checkpoint FILE: an SQLite file with its write-ahead log folded in, ready to be copied.
checkpoint() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()' "$1"; }
# run_copy FILE BINARY: a fresh copy of a prepared SQLite file at $WORK/run.sqlite, migrated by
# BINARY (each build adds its own migrations); exports VIGIL_DATABASE_URL.
run_copy() {
    export VIGIL_DATABASE_URL="$WORK/run.sqlite"
    rm -f "$WORK"/run.sqlite*
    cp "$1" "$VIGIL_DATABASE_URL"
    "$2" migrate >/dev/null
}
seed_target() { if [ "$DB" = "postgres" ]; then echo "--postgres $VIGIL_DATABASE_URL"; else echo "--sqlite $VIGIL_DATABASE_URL"; fi; }
query() {
    if [ "$DB" = "postgres" ]; then psql "$VIGIL_DATABASE_URL" -qAt -c "$1"
    else python3 -c 'import sqlite3,sys; print("\n".join("|".join(map(str, r)) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' "$VIGIL_DATABASE_URL" "$1"; fi
}

server_pid=""
start_server() {
    "$VIGIL" serve --port "$PORT" >"$WORK/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "server did not start"; cat "$WORK/server.log"; exit 1
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
load() {  # load NAME SCRIPT TOKEN [CONNECTIONS] → sets NAME_rps NAME_p50 NAME_p90 NAME_p99 NAME_non2xx
    local connections="${4:-$CONNECTIONS}"
    TOKEN="$3" wrk -t2 -c"$connections" -d5s -s "$2" "http://127.0.0.1:$PORT" >/dev/null
    TOKEN="$3" wrk -t2 -c"$connections" -d"${DURATION}s" --latency -s "$2" "http://127.0.0.1:$PORT" >"$WORK/$1.txt"
    read -r rps p50 p90 p99 non2xx <<<"$(summarize "$WORK/$1.txt")"
    printf -v "$1_rps" %s "$rps"; printf -v "$1_p50" %s "$p50"; printf -v "$1_p90" %s "$p90"; printf -v "$1_p99" %s "$p99"; printf -v "$1_non2xx" %s "$non2xx"
    echo "   $rps requests/s, p50 $p50 ms, p99 $p99 ms, non-2xx $non2xx"
}
token_for() {  # token_for EMAIL ROLE (REGION…|--all-regions) → prints a new API token
    local email="$1" role="$2"; shift 2
    local regions=(); for r in "$@"; do if [ "$r" = "--all-regions" ]; then regions+=("$r"); else regions+=(--region "$r"); fi; done
    "$VIGIL" user add --email "$email" --name "Bench $role" --role "$role" "${regions[@]}" >/dev/null
    "$VIGIL" token create --user "$email" --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])'
}
queue() {  # queue REGION NAME STRATEGY [options] → prints the id
    local region="$1" name="$2" strategy="$3"; shift 3
    "$VIGIL" incident-ops queue create --region "$region" --name "$name" --strategy "$strategy" "$@" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

