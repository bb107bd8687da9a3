#!/usr/bin/env bash
# Signals benchmark: inference for one symbol and one bar (FeatureEngine.onCandle + XGBoost and
# LightGBM predictions, calibrated and averaged). Trains the demo model first when absent.
# Callable from scripts/bench.sh; prints one line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
QT=.build/release/qt
[ -x "$QT" ] || swift build -c release --product qt
MODEL=runs/model-demo
if [ ! -f "$MODEL/manifest.json" ]; then
  "$QT" train --config config/train-demo.toml --data data/binance-usdm/*-1m-2026-02-*.csv.gz --output "$MODEL" >/dev/null
fi
for run in 1 2 3; do
  # LINKUSDT timed; the other files feed the basket market context the demo model uses.
  "$QT" model bench "$MODEL" --bars 5000 --data data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz \
    $(ls data/binance-usdm/*-1m-2026-02-*.csv.gz | grep -v LINKUSDT)
done
