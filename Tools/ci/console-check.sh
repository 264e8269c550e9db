#!/usr/bin/env bash
# The web console in a real browser: Debian's chromium, headless, driven by Selenium (pinned, in
# ./.venv) against the real `vigil serve` on loopback over a fresh SQLite file, with an admin, a
# shift coordinator (every region) and an analyst (BR-SP only, no sensitive cases) who sign in with
# passwords. Pages are checked with axe-core (WCAG 2.1 A/AA: a serious or critical violation
# fails) and for Content Security Policy violations in the browser log, and screenshotted at 1280
# and 360 px into .ci-output/console. First the harness checks itself (Tools/browser/selftest.py:
# axe under a strict CSP, the CSP log entries, 360 px, the runner), about 6 s.
# chromium, chromium-driver and fonts-noto-cjk come from Debian's packages, installed if missing
# (as root, or with sudo).
#   Tools/ci/console-check.sh            every test
#   Tools/ci/console-check.sh -k login   only the tests whose name contains "login", no selftest
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    PKGS=(chromium chromium-driver fonts-noto-cjk)
    SUDO=()
    [ "$(id -u)" = "0" ] || SUDO=(sudo -n)
    if command -v apt-get >/dev/null && { [ "$(id -u)" = "0" ] || sudo -n true 2>/dev/null; }; then
        echo "installing ${PKGS[*]} from Debian's packages for the console checks" >&2
        export DEBIAN_FRONTEND=noninteractive
        # Without the recommends: they pull in systemd and udev upgrades, avahi, samba, cups and perl.
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null 2>&1 \
            || { "${SUDO[@]}" apt-get update -qq >&2 && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null; }
    else
        echo "console-check: chromium and chromedriver are needed: apt-get install --no-install-recommends ${PKGS[*]}" >&2
        exit 1
    fi
fi
BIN="$(Tools/ci/python-env.sh)"
VIGIL=.build/debug/vigil
[ -x "$VIGIL" ] || swift build --product vigil
OUT="${VIGIL_CI_OUTPUT:-$PWD/.ci-output}/console"
WORK="$(mktemp -d /tmp/vigil-console-XXXXXX)"
rm -rf "$OUT" && mkdir -p "$OUT"
export VIGIL_DATABASE_URL="$WORK/vigil.sqlite" VIGIL_BOOTSTRAP_CREATE_ADMIN=false VIGIL_AUTH_BCRYPT_COST=4 VIGIL_LOG_LEVEL=warning
"$VIGIL" migrate >/dev/null
# Passwords of 12+ characters, read by `user add --password-stdin`; the database is thrown away.
ADMIN_PW="console-admin-pw-1" COORD_PW="console-coordinator-pw-1" ANALYST_PW="console-analyst-pw-1"
printf '%s\n' "$ADMIN_PW" | "$VIGIL" user add --email admin@vigil.local --name "Console Admin" --admin --password-stdin >/dev/null
printf '%s\n' "$COORD_PW" | "$VIGIL" user add --email coordinator@vigil.local --name "Carla Coordinator" \
    --role shift-coordinator --all-regions --password-stdin >/dev/null
printf '%s\n' "$ANALYST_PW" | "$VIGIL" user add --email analyst@vigil.local --name "Ana Analyst" \
    --role analyst --region BR-SP --password-stdin >/dev/null
TOKEN="$("$VIGIL" token create --user admin@vigil.local --name console-check --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
cat >"$WORK/users.json" <<EOF
{
  "admin": {"email": "admin@vigil.local", "password": "$ADMIN_PW", "name": "Console Admin", "roles": ["admin"], "regions": "all", "sensitive": true},
  "coordinator": {"email": "coordinator@vigil.local", "password": "$COORD_PW", "name": "Carla Coordinator", "roles": ["shift-coordinator"], "regions": "all", "sensitive": true},
  "analyst": {"email": "analyst@vigil.local", "password": "$ANALYST_PW", "name": "Ana Analyst", "roles": ["analyst"], "regions": ["BR-SP"], "sensitive": false}
}
EOF
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$VIGIL" serve --host 127.0.0.1 --port "$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# The harness itself (static pages under the console's CSP), while the server starts; not with -k.
if [ $# -eq 0 ]; then
    "$BIN/python" Tools/browser/selftest.py --out "$OUT/selftest" >"$OUT/selftest.log" 2>&1 \
        || { cat "$OUT/selftest.log" >&2; echo "console-check: the browser harness selftest failed; see $OUT/selftest" >&2; exit 1; }
    echo "console-check selftest: $(tail -n 1 "$OUT/selftest.log")"
fi

for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 || { echo "console-check: the server did not get ready; see $OUT/server.log" >&2; exit 1; }

status=0
VIGIL_CONSOLE_USERS="$WORK/users.json" VIGIL_API_TOKEN="$TOKEN" \
    "$BIN/python" Tools/browser/console_check.py --base "http://127.0.0.1:$PORT" --out "$OUT" "$@" || status=$?
if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "console-check: the server process died during the run; see $OUT/server.log" >&2
    status=1
fi
exit $status
