#!/usr/bin/env bash
# `make ml-demo`: the ml-ensemble strategy, honestly. Trains XGBoost + LightGBM on bundled FILUSDT
# one-minute candles of 2023 (Apr-Jun, Aug-Nov), prints the model's own out-of-sample report, then
# backtests it on Sep-Nov 2024 (a later period the model never saw) through the same engine as
# `make demo`: with the fixed-notional sizer and reference bracket, then through the pre-trade
# validator and the exit engine. A period inside the training window is refused; forced, it is
# labelled IN-SAMPLE.
# No network, no keys; about a minute on two cores (the release build not counted).
set -euo pipefail
cd "$(dirname "$0")/.."
QT=.build/release/qt
DATA=data/binance-usdm
TRAINING=("$DATA/FILUSDT-1m-2023-04-01_2023-06-30.csv.gz" "$DATA/FILUSDT-1m-2023-08-01_2023-11-30.csv.gz")
LATER="$DATA/FILUSDT-1m-2024-09-01_2024-11-30.csv.gz"

echo "== 1. train the ensemble on FILUSDT 2023-04..06 + 2023-08..11 (config/train-fil.toml -> runs/model-fil)"
$QT train --config config/train-fil.toml --data "${TRAINING[@]}"

echo
echo "== 2. the model's out-of-sample report (purged walk-forward inside the training window, the threshold chosen"
echo "      inside each training window), with the drift check and held-out figures on the later period"
$QT model report runs/model-fil --data "$LATER"

echo
echo "== 3. backtest on FILUSDT 2024-09..11: after the training window, out of sample (examples/ml-ensemble.toml)"
$QT backtest --config examples/ml-ensemble.toml --data "$LATER"

echo
echo "== 4. the same period through the pre-trade validator and the exit engine (examples/ml-validated.toml):"
echo "      the validator judges the model's calibrated confidence (min_confidence 0.6 over the model's 0.55)"
$QT backtest --config examples/ml-validated.toml --data "$LATER"

echo
echo "== 5. a period inside the training window (2023-08..11) is refused"
if $QT backtest --config examples/ml-ensemble.toml --data "${TRAINING[1]}"; then
  echo "ml-demo: FAILED - the overlapping backtest was not refused" >&2
  exit 1
fi

echo
echo "== 6. the same period with --force-overlap: runs, but labelled IN-SAMPLE (for comparison only, not performance)"
$QT backtest --config examples/ml-ensemble.toml --data "${TRAINING[1]}" --force-overlap

echo
echo "ml-demo: steps 3 and 4 are the honest estimates (4 is the product flow: model -> validator -> exit engine)."
echo "Compare them with the model's verdict in step 2 and with the in-sample figures of step 6, which overstate"
echo "what the model would have earned."
