#!/usr/bin/env bash
# Does the dashboard slow the price-event-to-order path? The same paper replay (a month of LINKUSDT
# 1m bars through the live runtime: exit engine, backstops, watchdog; ~170k price events) with the
# dashboard off and on ([dashboard] enabled: its observer in the runtime loop, the gauges, the HTTP
# server on a free port), timed as whole processes by farm-bench A/B (paired runs), and each run's
# own price-event-to-order latency (the runtime's histogram, printed by `qt paper`).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
swift build -c release --product qt
QT=$PWD/.build/release/qt
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DATA=$PWD/data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz
for side in off on; do
  cp examples/ema-cross-exit-engine.toml "$WORK/$side.toml"
  printf '\n[storage]\npath = "%s/%s.sqlite"\n' "$WORK" "$side" >> "$WORK/$side.toml"
done
printf '\n[dashboard]\nenabled = true\nport = 0\ncredentials_file = "%s/credentials"\nrefresh = "0s"\n' "$WORK" >> "$WORK/on.toml"
echo "bench-password" | "$QT" dashboard set-password --config "$WORK/on.toml" --cost 4 > /dev/null
echo "== one run each: the runtime's price-event-to-order latency (count, mean, max)"
for side in off on; do
  echo "-- dashboard $side"
  "$QT" paper --config "$WORK/$side.toml" --data "$DATA" | grep -E "trades:|price event to order|metrics:" | cut -c1-200
  rm -f "$WORK/$side.sqlite"*
done
echo "== whole replay, dashboard on (A) vs off (B), $RUNS paired runs"
farm-bench -n "$RUNS" --timeout 900 --vs "sh -c 'rm -f $WORK/off.sqlite*; exec $QT paper --config $WORK/off.toml --data $DATA'" \
  -- sh -c "rm -f $WORK/on.sqlite*; exec $QT paper --config $WORK/on.toml --data $DATA"
