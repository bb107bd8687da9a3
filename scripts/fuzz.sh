#!/usr/bin/env bash
# `make fuzz`: builds every libFuzzer target of the Fuzz/ package (-sanitize=fuzzer, release, scratch
# path .build-fuzz) and runs each target listed in Fuzz/targets.txt ("<Name> <runs>" per line) for
# that many executions on a working copy of its seed corpus (Fuzz/Corpus/<Name>; new inputs go to
# .build-fuzz/corpus/<Name>). Prints executions, time and crashes per target; exits non-zero on
# the first crash (the crashing input is left in .build-fuzz/ by libFuzzer).
#
#   scripts/fuzz.sh                    every listed target
#   scripts/fuzz.sh CandleReader …     only the named targets
#   FUZZ_RUNS_SCALE=10 scripts/fuzz.sh ten times the listed executions
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=.build-fuzz
SWIFT=${SWIFT:-swift}
SCALE=${FUZZ_RUNS_SCALE:-1}
# libFuzzer, not the Swift runtime's backtracer, must handle a crash: it saves the input.
export SWIFT_BACKTRACE=enable=no
# The root package's LightGBM header and library flags are `unsafeFlags`, which SwiftPM drops for
# a dependency; the targets that link TraderApp need them (make fuzz runs `bootstrap` first).
LIGHTGBM="$PWD/vendor/lightgbm"

# SwiftPM does not notice files added to a path dependency (the root package here): drop the
# cached build description so it is planned again (compiled objects are kept).
rm -f "$SCRATCH/release.yaml" "$SCRATCH"/*/release/description.json
"$SWIFT" build --package-path Fuzz --scratch-path "$SCRATCH" -c release -Xswiftc -sanitize=fuzzer \
  -Xswiftc -Xcc -Xswiftc "-I$LIGHTGBM/include" -Xcc "-I$LIGHTGBM/include" \
  -Xlinker "-L$LIGHTGBM/lib" -Xlinker -rpath -Xlinker "$LIGHTGBM/lib"

status=0
while read -r name runs _; do
  [[ -z "${name:-}" || "$name" == \#* ]] && continue
  if [[ $# -gt 0 && " $* " != *" $name "* ]]; then continue; fi
  runs=$((runs * SCALE))
  binary="$SCRATCH/release/Fuzz$name"
  work="$SCRATCH/corpus/$name"
  log="$SCRATCH/fuzz-$name.log"
  mkdir -p "$work"
  start=$(date +%s)
  if (cd "$SCRATCH" && "../$binary" -runs="$runs" -seed=1 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "corpus/$name" "../Fuzz/Corpus/$name") >"$log" 2>&1; then
    crashes=0
  else
    crashes=1
    status=1
  fi
  seconds=$(( $(date +%s) - start ))
  executed=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
  echo "fuzz $name: $executed executions in ${seconds} s, $crashes crash(es) (target $runs; log $log)"
  if [[ $crashes -ne 0 ]]; then tail -40 "$log"; fi
done < Fuzz/targets.txt
exit $status
