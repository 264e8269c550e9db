#!/usr/bin/env bash
# Runs a command with VIGIL_TEST_POSTGRES_URL pointing at a PostgreSQL server, so that the
# storage and end-to-end tests run on both engines. A URL already set is used as it is;
# otherwise PostgreSQL is installed from Debian's packages if missing (as root, or with sudo)
# and a throwaway cluster is started on a loopback port, then stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${VIGIL_TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi
if ! ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    SUDO=()
    [ "$(id -u)" = "0" ] || SUDO=(sudo -n)
    echo "installing PostgreSQL from Debian's packages for the tests" >&2
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq postgresql postgresql-client >/dev/null
fi
URL="$(Tools/ci/postgres.sh start)"
trap 'Tools/ci/postgres.sh stop || true' EXIT
export VIGIL_TEST_POSTGRES_URL="$URL"
"$@"
