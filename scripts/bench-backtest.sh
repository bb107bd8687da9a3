#!/usr/bin/env bash
# `qt backtest` end to end (load, replay, reports, store), timed from outside by farm-bench:
# the reference ema-cross over every bundled FILUSDT 1m file (518,400 bars), 1,000,000 USDT
# account (every signal trades), a fresh SQLite store per run. Two binaries side by side in one
# call (A = QT, B = QT_BASELINE, paired runs) when QT_BASELINE is given; NO_STORE=1 adds
# `--no-store` to A.
#   QT=.build/release/qt QT_BASELINE=/tmp/qt-before RUNS=3 scripts/bench-backtest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
QT=${QT:-.build/release/qt}
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed 's/^initial_balance = .*/initial_balance = 1000000/' examples/ema-cross.toml > "$work/bench.toml"
grep -q '^initial_balance = 1000000$' "$work/bench.toml"
files=$(ls "$PWD"/data/binance-usdm/FILUSDT-1m-*.csv.gz | tr '\n' ' ')
# Each run: a fresh store and run folder (the store is part of what is timed).
command_for() { echo "cd $work && rm -rf $1 && mkdir $1 && cd $1 && exec $2 backtest --config $work/bench.toml --data $files --out run $3 >/dev/null"; }
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
A=$(command_for a "$(realpath "$QT")" "${NO_STORE:+--no-store}")
echo "== A: $A"
if [ -n "${QT_BASELINE:-}" ]; then
    B=$(command_for b "$(realpath "$QT_BASELINE")" "")
    echo "== B: $B"
    farm-bench -n "$RUNS" --timeout 3000 --vs "sh -c '$B'" -- sh -c "$A"
else
    farm-bench -n "$RUNS" --timeout 3000 -- sh -c "$A"
fi
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
