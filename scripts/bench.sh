#!/usr/bin/env bash
# Benchmark: release build of qt-bench, ema-cross over the bundled FILUSDT one-minute files
# (~517k bars). Candles are loaded first; only the engine is timed. Then 100k bars, to show
# engine memory does not grow with the number of bars.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product qt-bench
BENCH=.build/release/qt-bench
FILES=(data/binance-usdm/FILUSDT-1m-*.csv.gz)
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== all bundled FILUSDT 1m bars"
"$BENCH" --repeat 5 "${FILES[@]}"
echo "== first 100,000 bars (memory comparison)"
"$BENCH" --repeat 3 --bars 100000 "${FILES[@]}"
