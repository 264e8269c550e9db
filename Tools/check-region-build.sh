#!/usr/bin/env bash
# Builds vigil for one region and proves the other domains are left out: their modules are not
# compiled (their object files are removed first and must not come back), their code is not in
# the binary, and `vigil domains` lists exactly the region's domains.
#   Tools/check-region-build.sh CO
set -euo pipefail
cd "$(dirname "$0")/.."
REGION="Region${1:?usage: $0 REGION (e.g. CO)}"
SWIFT="${SWIFT:-swift}"
BUILD_DIR="$($SWIFT build --show-bin-path)"

read -r -a ALL <<<"$($SWIFT package dump-package | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(" ".join(t["name"] for t in p["traits"] if t["name"] != "default" and not t["name"].startswith("Region")))')"
read -r -a WANTED <<<"$($SWIFT package dump-package | python3 -c '
import json, sys
p = json.load(sys.stdin)
region = [t for t in p["traits"] if t["name"] == sys.argv[1]]
if not region: sys.exit("no trait " + sys.argv[1])
print(" ".join(sorted(region[0]["enabledTraits"])))' "$REGION")"

for domain in "${ALL[@]}"; do rm -rf "$BUILD_DIR/$domain.build" "$BUILD_DIR/Modules/$domain.swiftmodule"; done
if ! $SWIFT build --product vigil --disable-default-traits --traits "$REGION" >/tmp/vigil-region-build.log 2>&1; then
    grep -E "error:" /tmp/vigil-region-build.log || tail -20 /tmp/vigil-region-build.log
    echo "FAIL: the $REGION build failed"
    exit 1
fi

compiled() { compgen -G "$BUILD_DIR/$1.build/*.o" >/dev/null; }

fail=0
for domain in "${ALL[@]}"; do
    included=0
    for wanted in "${WANTED[@]}"; do [ "$wanted" = "$domain" ] && included=1; done
    symbols=$(nm "$BUILD_DIR/vigil" | grep -c "$domain" || true)
    if [ $included = 1 ]; then
        compiled "$domain" || { echo "FAIL: $domain belongs to $REGION but was not compiled"; fail=1; }
        [ "$symbols" -gt 0 ] || { echo "FAIL: $domain belongs to $REGION but is not in the binary"; fail=1; }
    else
        ! compiled "$domain" || { echo "FAIL: $domain is not in $REGION but was compiled"; fail=1; }
        [ "$symbols" = 0 ] || { echo "FAIL: $domain is not in $REGION but $symbols of its symbols are in the binary"; fail=1; }
    fi
done

listed=$("$BUILD_DIR/vigil" domains --json | python3 -c 'import json,sys; print(" ".join(sorted(d["id"] for d in json.load(sys.stdin))))')
expected=$(for d in "${WANTED[@]}"; do echo "$d"; done | python3 -c '
import re, sys
print(" ".join(sorted(re.sub(r"(?<!^)(?=[A-Z][a-z])", "-", n.strip()).lower() for n in sys.stdin if n.strip())))')
# Module names map to ids by kebab-casing (IncidentOps → incident-ops, ITServiceDesk → it-service-desk).
[ "$listed" = "$expected" ] || { echo "FAIL: vigil domains lists '$listed', expected '$expected'"; fail=1; }

[ $fail = 0 ] && echo "OK: $REGION builds only ${WANTED[*]}; vigil domains: $listed"
exit $fail
