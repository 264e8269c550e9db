#!/usr/bin/env bash
# Coverage-guided fuzzing of the hand-written parsers (libFuzzer, AddressSanitizer).
#   Tools/fuzz/run.sh [SECONDS]    each target for SECONDS (default 60); `make fuzz` gives more,
#                                  `make test` a short run. New crashes land in $OUT/<target>/.
# Exit status: 0 when no target crashed, hung or ran out of memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH="${1:-60}"
OUT="${VIGIL_CI_OUTPUT:-$PWD/.ci-output}/fuzz"
# Its own build folder: the instrumented Kernel must not replace the ordinary one.
SCRATCH="${FUZZ_SCRATCH:-.build-fuzz}"
FUZZ=1 swift build --product VigilFuzz --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: [^']|Build" | grep -v "unhandled; explicitly" || true
BIN="$SCRATCH/debug/VigilFuzz"
[ -x "$BIN" ] || { echo "fuzz: the instrumented driver did not build" >&2; exit 1; }
status=0
for target in json csv schema query text; do
    mkdir -p "$OUT/$target" "$OUT/corpus/$target"
    dict=()
    [ -f "Tools/fuzz/dicts/$target.dict" ] && dict=(-dict="Tools/fuzz/dicts/$target.dict")
    [ "$target" = "schema" ] && dict=(-dict="Tools/fuzz/dicts/json.dict")
    echo "fuzz: $target for ${SECONDS_EACH}s"
    # New inputs go to the scratch corpus; the committed seeds are read only.
    # Leak reports are off: Swift keeps metadata and lazily made globals to the end, which
    # LeakSanitizer counts as leaks; a fuzz run looks for crashes, hangs and memory blow-ups.
    if ! ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" FUZZ_TARGET="$target" "$BIN" "$OUT/corpus/$target" "Tools/fuzz/corpus/$target" "${dict[@]}" \
        -max_total_time="$SECONDS_EACH" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -use_value_profile=1 -detect_leaks=0 \
        -artifact_prefix="$OUT/$target/" -print_final_stats=1 >"$OUT/$target.log" 2>&1; then
        echo "fuzz: $target FAILED; the input is in $OUT/$target/, the log in $OUT/$target.log" >&2
        grep -E "ERROR|SUMMARY|property failed|Fatal error|runtime failure" "$OUT/$target.log" | head -5 >&2 || true
        status=1
    fi
    grep -E "stat::number_of_executed_units|cov:" "$OUT/$target.log" | tail -1 || true
done
exit $status
