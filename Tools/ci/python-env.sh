#!/usr/bin/env bash
# A local, ignored Python virtual environment (.venv) with the pinned test tools. Idempotent:
# reinstalls only when requirements.txt changed. Prints the venv's bin directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.venv
REQ=Tools/ci/requirements.txt
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else
        echo "python3 with venv is needed (apt-get install python3-venv)" >&2; exit 1
    fi
fi
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV" >&2; fi
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ" >&2
    echo "$WANT" > "$STAMP"
fi
echo "$PWD/$VENV/bin"
