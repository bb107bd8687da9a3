#!/usr/bin/env bash
# `make test-ray`: the real-Ray integration test of `qt sweep --engine ray`.
# Installs a pinned Ray from PyPI into a venv under the build folder (once), starts a local head
# with its dashboard on 127.0.0.1 only and usage stats off, runs the 20-unit example sweep on the
# local engine and on the Ray head, and compares the result lines (they must be identical).
# The head is stopped however the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
RAY_VERSION="${RAY_VERSION:-2.60.0}"
VENV=.build/ray-venv
PORT="${QT_RAY_DASHBOARD_PORT:-8265}"
QT=.build/debug/qt
OUT=.build/ray-test

if [ ! -x "$VENV/bin/ray" ] || ! "$VENV/bin/python" -c "import ray, sys; sys.exit(ray.__version__ != '$RAY_VERSION')" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "ray[default]==$RAY_VERSION"
fi
[ -x "$QT" ] || swift build --product qt

export RAY_USAGE_STATS_ENABLED=0
export PATH="$PWD/$VENV/bin:$PATH"
TMP_RAY="$(mktemp -d /tmp/qt-ray.XXXXXX)"
stop_head() { ray stop --force >/dev/null 2>&1 || true; rm -rf "$TMP_RAY"; }
trap stop_head EXIT
ray start --head --node-ip-address 127.0.0.1 --port 0 --dashboard-host 127.0.0.1 --dashboard-port "$PORT" \
  --include-dashboard true --disable-usage-stats --num-cpus 2 --temp-dir "$TMP_RAY" >/dev/null
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/api/version" >/dev/null && break
  sleep 1
done

rm -rf "$OUT"
start=$(date +%s.%N)
"$QT" sweep examples/sweep-ema.toml --engine local --out "$OUT/local" --no-store > "$OUT.local.txt"
middle=$(date +%s.%N)
"$QT" sweep examples/sweep-ema.toml --engine ray --address "http://127.0.0.1:$PORT" --out "$OUT/ray" --no-store > "$OUT.ray.txt"
end=$(date +%s.%N)

sort "$OUT/local/ema-grid/results.jsonl" > "$OUT.local.sorted"
sort "$OUT/ray/ema-grid/results.jsonl" > "$OUT.ray.sorted"
units=$(wc -l < "$OUT.ray.sorted")
if [ "$units" -ne 20 ] || ! cmp -s "$OUT.local.sorted" "$OUT.ray.sorted"; then
  echo "FAIL: local and Ray result lines differ ($units Ray lines)" >&2
  diff "$OUT.local.sorted" "$OUT.ray.sorted" | head -20 >&2
  exit 1
fi
printf 'PASS: 20 units, identical result lines on the local engine (%.1f s) and on Ray %s (%.1f s)\n' \
  "$(echo "$middle - $start" | bc)" "$RAY_VERSION" "$(echo "$end - $middle" | bc)"
