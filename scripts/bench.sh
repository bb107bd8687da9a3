#!/usr/bin/env bash
# Benchmark: release build of qt-bench, the reference ema-cross over the bundled FILUSDT
# one-minute files (518,400 bars). Candles are loaded into memory first; only the engine
# (kernel + simulated exchange + full accounting) is timed. The account is large enough that
# every signal trades (no entry refused for margin). Then: the same with every intrabar path
# point routed (no quiet-bar skipping), and 100,000 bars to show that engine memory does not
# grow with the number of bars.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product qt-bench
BENCH=.build/release/qt-bench
FILES=(data/binance-usdm/FILUSDT-1m-*.csv.gz)
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== ema-cross, all bundled FILUSDT 1m bars"
"$BENCH" --repeat 5 "${FILES[@]}"
echo "== same, every intrabar path point routed (--full-path)"
"$BENCH" --repeat 3 --full-path "${FILES[@]}"
echo "== first 100,000 bars (memory comparison)"
"$BENCH" --repeat 3 --bars 100000 "${FILES[@]}"
echo "== qt backtest end to end (load, replay, run folder, store) on the same bars: wall clock and peak memory"
swift build -c release --product qt
QT=.build/release/qt scripts/bench/backtest-e2e.sh
