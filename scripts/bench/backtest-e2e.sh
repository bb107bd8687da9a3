#!/usr/bin/env bash
# `qt backtest` end to end, timed from outside as a user waits for it (process start to exit:
# load, replay, run folder with report.html, store): the reference ema-cross
# (examples/ema-cross.toml with a 1,000,000 USDT account, so every signal trades) over every
# bundled FILUSDT 1m file (518,400 bars), a fresh SQLite store and run folder per run.
# Prints one RESULT line per variant (see measure.py): with the store, and with --no-store.
#   QT=.build/release/qt RUNS=3 scripts/bench/backtest-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
QT=$(realpath "${QT:-.build/release/qt}")
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed 's/^initial_balance = .*/initial_balance = 1000000/' examples/ema-cross.toml > "$work/bench.toml"
grep -q '^initial_balance = 1000000$' "$work/bench.toml"
files=("$PWD"/data/binance-usdm/FILUSDT-1m-*.csv.gz)
cd "$work"
python3 "$OLDPWD/scripts/bench/measure.py" --runs "$RUNS" --label "qt backtest (with store)" --setup "rm -rf $work/run $work/qt.sqlite*" \
    -- "$QT" backtest --config "$work/bench.toml" --data "${files[@]}" --out "$work/run"
if "$QT" backtest --help | grep -q -- --no-store; then
    python3 "$OLDPWD/scripts/bench/measure.py" --runs "$RUNS" --label "qt backtest --no-store" --setup "rm -rf $work/run" \
        -- "$QT" backtest --config "$work/bench.toml" --data "${files[@]}" --out "$work/run" --no-store
fi
