#!/usr/bin/env bash
# Fuzzing (`make fuzz`): builds every target of the Fuzz/ package with libFuzzer
# (`-sanitize=fuzzer`, release, scratch path .build-fuzz) and runs each target listed in
# Fuzz/targets.txt (`Name runs` per line) for at least that many executions, starting from its
# committed seed corpus Fuzz/Corpus/<Name>/. New inputs go to .build-fuzz/corpus/<Name>/ (the
# committed corpus is only read); a crash, trap or timeout stops with the input saved under
# .build-fuzz/artifacts/ and a non-zero exit.
#
#   scripts/fuzz.sh                 every listed target
#   scripts/fuzz.sh CandleReader    only the named targets
#   FUZZ_RUNS_SCALE=10 scripts/fuzz.sh   ten times the listed executions
set -euo pipefail
cd "$(dirname "$0")/.."
# libFuzzer, not the Swift runtime's backtracer, must handle a crash: it saves the input.
export SWIFT_BACKTRACE=enable=no
SCRATCH=.build-fuzz
SCALE=${FUZZ_RUNS_SCALE:-1}
# SwiftPM does not notice files added to a path dependency: drop the cached build plan (the
# compiled objects stay) so new source files of the root package are always built.
rm -f "$SCRATCH/release.yaml" "$SCRATCH"/*/release/description.json
# The root package's LightGBM header and library flags are `unsafeFlags`, which SwiftPM drops for
# a dependency: pass them here (make fuzz runs `bootstrap`, which installs vendor/lightgbm).
LIGHTGBM="$PWD/vendor/lightgbm"
FLAGS=(-c release --package-path Fuzz --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer
       -Xswiftc -Xcc -Xswiftc "-I$LIGHTGBM/include" -Xcc "-I$LIGHTGBM/include"
       -Xlinker "-L$LIGHTGBM/lib" -Xlinker -rpath -Xlinker "$LIGHTGBM/lib")
swift build "${FLAGS[@]}"
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)
mkdir -p "$SCRATCH/artifacts" "$SCRATCH/logs"
summary=()
status=0
while read -r name runs _; do
    [[ -z "${name:-}" || "$name" == \#* ]] && continue
    if [[ $# -gt 0 && ! " $* " == *" $name "* ]]; then continue; fi
    corpus="$SCRATCH/corpus/$name"
    mkdir -p "$corpus"
    log="$SCRATCH/logs/$name.log"
    total=$((runs * SCALE))
    echo "== Fuzz$name: $total executions (corpus Fuzz/Corpus/$name)"
    started=$(date +%s)
    set +e
    "$BIN/Fuzz$name" -runs="$total" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$SCRATCH/artifacts/$name-" "$corpus" "Fuzz/Corpus/$name" >"$log" 2>&1
    code=$?
    set -e
    seconds=$(( $(date +%s) - started ))
    executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    if [[ $code -eq 0 ]]; then
        summary+=("Fuzz$name: $executed executions in ${seconds} s, 0 crashes")
    else
        summary+=("Fuzz$name: FAILED (exit $code) after ${seconds} s; see $log and $SCRATCH/artifacts/")
        tail -n 40 "$log"
        status=1
    fi
    echo "${summary[-1]}"
done < Fuzz/targets.txt
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit $status
