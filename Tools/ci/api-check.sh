#!/usr/bin/env bash
# Outside checks of the HTTP API, as a client would meet it: the real `vigil serve` on loopback
# over a fresh SQLite file, and schemathesis (pinned, in ./.venv) over every operation of
# /openapi.json, its stateful phase following the document's links to create records and then
# read, change and act on them. Fails on any 5xx, schema violation, undocumented status, or if
# the server process dies.
#   Tools/ci/api-check.sh            the short run of `make test` (fixed seed)
#   Tools/ci/api-check.sh --long     `make fuzz`: random seed, time-bounded (API_FUZZ_SECONDS, default 900)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(Tools/ci/python-env.sh)"
VIGIL=.build/debug/vigil
[ -x "$VIGIL" ] || swift build --product vigil
OUT="${VIGIL_CI_OUTPUT:-$PWD/.ci-output}/schemathesis"
WORK="$(mktemp -d /tmp/vigil-api-XXXXXX)"
rm -rf "$OUT" && mkdir -p "$OUT"
export VIGIL_DATABASE_URL="$WORK/vigil.sqlite" VIGIL_BOOTSTRAP_CREATE_ADMIN=false VIGIL_AUTH_BCRYPT_COST=4 VIGIL_LOG_LEVEL=warning
"$VIGIL" migrate >/dev/null
"$VIGIL" user add --email api-check@vigil.local --name "API check" --admin >/dev/null
TOKEN="$("$VIGIL" token create --user api-check@vigil.local --name api-check --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
# Something for the IT routes to find besides what the run creates.
"$VIGIL" it-service-desk site create --code SP-HQ --name "São Paulo HQ" --country BR --region BR-SP --time-zone America/Sao_Paulo --currency BRL >/dev/null
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$VIGIL" serve --host 127.0.0.1 --port "$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done

ARGS=(--report junit,ndjson --report-dir "$OUT")
if [ "${1:-}" = "--long" ]; then
    ARGS+=(--max-time "${API_FUZZ_SECONDS:-900}" -n 200)
else
    ARGS+=(--seed 42 --generation-deterministic)
fi
cd "$OUT"   # hypothesis and schemathesis write their caches into the working directory
status=0
VIGIL_API_TOKEN="$TOKEN" "$BIN/st" --config-file "$OLDPWD/Tools/ci/schemathesis.toml" run "http://127.0.0.1:$PORT/openapi.json" "${ARGS[@]}" || status=$?
cd "$OLDPWD"
if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "api-check: the server process died during the run; see $OUT/server.log" >&2
    status=1
fi
exit $status
