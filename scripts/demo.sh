#!/usr/bin/env bash
# The main job on the embedded default: bundled real data, SQLite, no network, no keys.
set -euo pipefail
cd "$(dirname "$0")/.."
QT=.build/release/qt
$QT --version
$QT config check config/default.toml
$QT data inspect data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz data/binance-usdm/ATOMUSDT-1h-2020-02-07_2026-06-07.csv.gz
echo "== backtest: reference ema-cross on bundled LINKUSDT 1m, February 2026"
$QT backtest --config examples/ema-cross.toml \
  --data data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz
echo "== backtest: the same signals protected by the exit engine (ExitBrain plan, ExitExecutor, backstop, watchdog)"
$QT backtest --config examples/ema-cross-exit-engine.toml \
  --data data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz
echo "== paper: the live runtime with the exit engine on the local venue's WebSocket stream (in-process on 127.0.0.1), one day of LINKUSDT 1m"
echo "   (entries with stop, targets and exchange-side backstop, and exits are logged on stderr; the session ends with the positions left open)"
$QT paper --config examples/ema-cross-exit-engine.toml \
  --local-venue data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz --bars 1440
echo "== status of the store: last runs, open positions with their exits, risk state, alerts"
$QT status --db qt.sqlite --runs 2 --alerts 3
