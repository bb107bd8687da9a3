#!/usr/bin/env bash
# Side by side with vectorbt (opt-in: `make bench-peers`): the reference ema-cross over every
# bundled FILUSDT 1m file (518,400 bars), in one run on one machine:
#   QuantumTrader engine replay (qt-bench, best of 5)  vs  vectorbt Portfolio.from_signals (warm, best of 3)
#   qt backtest end to end with the store (best of 3)  vs  the whole vectorbt process (imports, load, JIT, run)
# vectorbt comes from PyPI into .venv-bench-peers/ (ignored by git), pinned; see
# scripts/bench/vectorbt_peer.py for the exact strategy mapping.
set -euo pipefail
cd "$(dirname "$0")/.."
VECTORBT_VERSION=1.2.0
VENV=.venv-bench-peers
if ! "$VENV/bin/python" -c "import vectorbt, sys; sys.exit(vectorbt.__version__ != '$VECTORBT_VERSION')" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "vectorbt==$VECTORBT_VERSION"
fi
# QT_BIN_DIR: take qt and qt-bench from a release build made elsewhere (no build here).
BIN=${QT_BIN_DIR:-.build/release}
if [ -z "${QT_BIN_DIR:-}" ]; then
    swift build -c release --product qt-bench
    swift build -c release --product qt
fi
FILES=("$PWD"/data/binance-usdm/FILUSDT-1m-*.csv.gz)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u '+%Y-%m-%d %H:%M UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== vectorbt $VECTORBT_VERSION: whole process, twice (the first may compile or load numba's cache)"
python3 scripts/bench/measure.py --runs 2 --label "vectorbt process" --stdout "$out/vectorbt.txt" \
    -- "$VENV/bin/python" scripts/bench/vectorbt_peer.py --trades "$out/vectorbt-trades.csv" "${FILES[@]}" | tee "$out/vectorbt-process.txt"
echo "== QuantumTrader engine replay (qt-bench)"
"$BIN/qt-bench" --repeat 5 "${FILES[@]}" | tee "$out/engine.txt"
echo "== QuantumTrader qt backtest end to end"
QT="$BIN/qt" RUNS=3 scripts/bench/backtest-e2e.sh | tee "$out/e2e.txt"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
vectorbt = open(f"{out}/vectorbt.txt").read()
last = vectorbt[vectorbt.rfind("TIMING import"):]  # the second process (numba's cache warm)
timing = {m[0]: float(m[1]) for m in re.findall(r"TIMING (\S+) ([0-9.]+)", last)}
counts = {m[0]: m[1] for m in re.findall(r"COUNT (\S+) (\S+)", last)}
process = [line.strip().split("|") for line in open(f"{out}/vectorbt-process.txt") if line.startswith("RESULT")][0]
engine_text = open(f"{out}/engine.txt").read()
engine = float(re.search(r"best replay time: ([0-9.]+) s", engine_text).group(1))
engine_cpu = float(re.search(r"best replay cpu: ([0-9.]+) s", engine_text).group(1))
engine_trades = re.search(r"trades (\d+)", engine_text).group(1)
load = float(re.search(r"loaded in ([0-9.]+) s", engine_text).group(1))
e2e = [line.strip().split("|") for line in open(f"{out}/e2e.txt") if line.startswith("RESULT")]
store = next(r for r in e2e if "with store" in r[0])
def row(name, ours, theirs):
    print(f"| {name} | {ours:.3f} s | {theirs:.3f} s | {theirs / ours:.1f}x |")
print()
print("| measure (best of the runs) | QuantumTrader | vectorbt | vectorbt / QuantumTrader |")
print("|---|---:|---:|---:|")
row("engine replay vs from_signals (warm), wall", engine, timing["from_signals"])
row("engine replay vs from_signals (warm), cpu", engine_cpu, timing["from_signals_cpu"])
row("end to end: qt backtest with store vs whole vectorbt process, wall", float(store[1]), float(process[1]))
row("end to end, cpu (user + sys)", float(store[4]), float(process[4]))
print(f"| peak memory | {float(store[3]):.0f} MiB | {float(process[3]):.0f} MiB | |")
print(f"| trades | {engine_trades} | {counts.get('trades')} | |")
print(f"QuantumTrader: load (qt-bench, gzip CSV validated) {load:.3f} s wall")
print(f"vectorbt in-process (second process): import {timing['import']:.2f} s, load {timing['load']:.2f} s, signals {timing['signals']:.3f} s, "
      f"first from_signals {timing['from_signals_first']:.2f} s, warm {timing['from_signals']:.3f} s wall / {timing['from_signals_cpu']:.3f} s cpu")
PY
echo "== trade by trade: qt backtest against vectorbt (scripts/bench/vectorbt_trades_diff.py)"
sed 's/^initial_balance = .*/initial_balance = 1000000/' examples/ema-cross.toml > "$out/bench.toml"
"$BIN/qt" backtest --config "$out/bench.toml" --data "${FILES[@]}" --out "$out/run" --no-store > /dev/null
python3 scripts/bench/vectorbt_trades_diff.py "$out/run/trades.csv" "$out/vectorbt-trades.csv"
