#!/usr/bin/env bash
# Benchmark: what a user waits for with each store backend. `qt backtest` of the reference
# ema-cross over one month of LINKUSDT 1m bars (about 17,000 store writes: orders and their
# history, fills, trades, decisions, equity) recording into SQLite and into PostgreSQL, run in
# turn by farm-bench (the A/B ratio is taken pair by pair).
# PostgreSQL: a throw-away cluster in .build/pg-bench on 127.0.0.1 (Debian's server binaries,
# `make bootstrap`), fsync as in production (on), stopped and deleted however the script ends.
# Usage: scripts/bench-store.sh [QT_BINARY] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
QT="${1:-.build/debug/qt}"
RUNS="${2:-3}"
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR="$PWD/.build/pg-bench"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
stop() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT
rm -rf "$DIR" && mkdir -p "$DIR/socket"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$DIR"
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --locale=C >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR/socket" >/dev/null
"${AS[@]}" "$BIN/psql" -h "$DIR/socket" -p "$PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE qt_bench LOGIN" -c "CREATE DATABASE qt_bench OWNER qt_bench"

WORK="$DIR/work"
mkdir -p "$WORK"
cp examples/ema-cross.toml "$WORK/sqlite.toml"
printf '\n[storage]\npath = "%s/qt.sqlite"\n' "$WORK" >> "$WORK/sqlite.toml"
cp examples/ema-cross.toml "$WORK/postgres.toml"
printf '\n[storage]\nbackend = "postgres"\nbot = "bench"\n' >> "$WORK/postgres.toml"
export QT_POSTGRES_URL="postgres://qt_bench@127.0.0.1:$PORT/qt_bench"
"$QT" store migrate --config "$WORK/postgres.toml"
DATA=data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
farm-bench -n "$RUNS" --timeout 1800 \
  --vs "$QT backtest --config $WORK/sqlite.toml --data $DATA --out $WORK/out-sqlite" \
  -- "$QT" backtest --config "$WORK/postgres.toml" --data "$DATA" --out "$WORK/out-postgres"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"${AS[@]}" "$BIN/psql" -h "$DIR/socket" -p "$PORT" -U postgres -d qt_bench -At \
  -c "SELECT 'rows written per run: ' || (SELECT count(*) FROM order_events) / (SELECT count(*) FROM runs) || ' order events, ' || (SELECT count(*) FROM equity_snapshots) / (SELECT count(*) FROM runs) || ' equity snapshots'"
