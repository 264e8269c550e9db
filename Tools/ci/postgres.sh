#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for tests and benchmarks.
#   Tools/ci/postgres.sh start   → prints the URL to use as VIGIL_TEST_POSTGRES_URL
#   Tools/ci/postgres.sh stop
set -euo pipefail
DATA_DIR="${VIGIL_PG_DIR:-/tmp/vigil-pg}"
PORT="${VIGIL_PG_PORT:-54329}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then RUN_AS=(runuser -u postgres --); fi

case "${1:-}" in
start)
    [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
    if [ -f "$DATA_DIR/postmaster.pid" ]; then "$0" stop >/dev/null 2>&1 || true; fi
    rm -rf "$DATA_DIR"
    mkdir -p "$DATA_DIR"
    [ "$(id -u)" = "0" ] && chown postgres "$DATA_DIR"
    "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$DATA_DIR" -U vigil --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w \
        -o "-p $PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c fsync=${VIGIL_PG_FSYNC:-off} -c max_connections=200 ${VIGIL_PG_OPTS:-}" start >/dev/null
    echo "postgres://vigil@127.0.0.1:$PORT/postgres"
    ;;
stop)
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast stop >/dev/null
    rm -rf "$DATA_DIR"
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 64
    ;;
esac
