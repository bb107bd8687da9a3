#!/usr/bin/env bash
# Does the dashboard slow the price-event-to-order path? The same paper replay (DAYS days of LINKUSDT
# 1m bars through the live runtime: exit engine, backstops, watchdog; ~5,300 price events a day) with the
# dashboard off and on ([dashboard] enabled: its observer in the runtime loop, the gauges, the HTTP
# server on a free port), timed as whole processes by farm-bench A/B (paired runs), and each run's
# own price-event-to-order latency (the runtime's histogram, printed by `qt paper`).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
# CONFIGURATION=debug measures the debug build (the observer's share of the work is larger there: an upper bound).
CONFIGURATION=${CONFIGURATION:-release}
# QT=PATH times an already built binary (e.g. the one `swift build --build-tests` made) instead of building.
if [ -z "${QT:-}" ]; then
  swift build -c "$CONFIGURATION" --product qt
  QT=$PWD/.build/$CONFIGURATION/qt
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The first DAYS days of the bundled February 2026 LINKUSDT file (whole month: DAYS=28).
DAYS=${DAYS:-3}
DATA=$WORK/LINKUSDT-1m-2026-02-01_2026-02-$(printf '%02d' "$DAYS").csv.gz
{ zcat data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz || true; } | head -n $((DAYS * 1440 + 1)) | gzip > "$DATA"
for side in off on; do
  cp examples/ema-cross-exit-engine.toml "$WORK/$side.toml"
  printf '\n[storage]\npath = "%s/%s.sqlite"\n' "$WORK" "$side" >> "$WORK/$side.toml"
done
printf '\n[dashboard]\nenabled = true\nport = 0\ncredentials_file = "%s/credentials"\nrefresh = "0s"\n' "$WORK" >> "$WORK/on.toml"
echo "bench-password" | "$QT" dashboard set-password --config "$WORK/on.toml" --cost 4 > /dev/null
# LATENCY_RUNS runs of each side, in turn, each printing its own histogram's count, mean and max.
LATENCY_RUNS=${LATENCY_RUNS:-1}
echo "== $LATENCY_RUNS run(s) each, in turn: the runtime's price-event-to-order latency (count, mean, max)"
for run in $(seq 1 "$LATENCY_RUNS"); do
  for side in off on; do
    echo "-- run $run, dashboard $side"
    "$QT" paper --config "$WORK/$side.toml" --data "$DATA" | grep -E "trades:|price event to order" | cut -c1-200
    rm -f "$WORK/$side.sqlite"*
  done
done
[ "$RUNS" -gt 0 ] || exit 0
echo "== whole replay, dashboard on (A) vs off (B), $RUNS paired runs"
farm-bench -n "$RUNS" --timeout 900 --vs "sh -c 'rm -f $WORK/off.sqlite*; exec $QT paper --config $WORK/off.toml --data $DATA'" \
  -- sh -c "rm -f $WORK/on.sqlite*; exec $QT paper --config $WORK/on.toml --data $DATA"
