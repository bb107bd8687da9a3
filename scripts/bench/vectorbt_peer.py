#!/usr/bin/env python3
"""The reference ema-cross in vectorbt's Portfolio.from_signals, on the same candle files as
`qt-bench` / `qt backtest`: EMA 12/26 of the close (alpha = 2/(n+1), seeded with the first close:
pandas ewm(span, adjust=False)), a cross at a bar's close acts at the next bar's open (long on an
up-cross, short on a down-cross, an opposite signal reverses), 1.2% stop and 1.86% target from the
entry price (checked on the bars' high/low), 0.04% fee on every fill, 1,000 USDT per entry.

The stop and target are set from the entry's fill price (`stop_entry_price="fillprice"`);
vectorbt's default sets them from the entry bar's *close*, which is not the reference strategy
(it moved most exits of the earlier comparison by a few bars).

    vectorbt_peer.py [--trades OUT.csv] FILE...
--trades writes the trade records (entry/exit time, side, prices) for
scripts/bench/vectorbt_trades_diff.py.

Prints machine-readable lines `TIMING name seconds` and `COUNT name value`:
  import   importing numpy, pandas and vectorbt
  load     reading the gzip CSVs into one frame
  signals  EMAs and crossings (vectorised)
  from_signals_first  the first Portfolio.from_signals call (includes numba compilation or cache load)
  from_signals        the best of the later calls (warm; what the engine replay is compared with)
  from_signals_cpu    the same calls' best CPU time (process time; tells a busy machine from a slow call)
  trades   from the portfolio's trade records
"""
import sys
import time

started = time.monotonic()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import vectorbt as vbt  # noqa: E402

imported = time.monotonic()
print(f"TIMING import {imported - started:.4f}")

args = sys.argv[1:]
trades_out = None
if args[:1] == ["--trades"]:
    trades_out, args = args[1], args[2:]
files = sorted(args)
repeats = 3
if not files:
    print("usage: vectorbt_peer.py FILE...", file=sys.stderr)
    sys.exit(2)

start = time.monotonic()
frames = [pd.read_csv(path, usecols=["open_time_ms", "open", "high", "low", "close"]) for path in files]
data = pd.concat(frames, ignore_index=True)
data.index = pd.to_datetime(data["open_time_ms"], unit="ms", utc=True)
print(f"TIMING load {time.monotonic() - start:.4f}")
print(f"COUNT bars {len(data)}")


def signals(close: pd.Series):
    fast = close.ewm(span=12, adjust=False).mean()
    slow = close.ewm(span=26, adjust=False).mean()
    up = (fast.shift(1) <= slow.shift(1)) & (fast > slow)
    down = (fast.shift(1) >= slow.shift(1)) & (fast < slow)
    # Decided at the bar's close, acted on at the next bar's open.
    return up.shift(1, fill_value=False), down.shift(1, fill_value=False)


start = time.monotonic()
long_entries, short_entries = signals(data["close"])
print(f"TIMING signals {time.monotonic() - start:.4f}")


def run():
    return vbt.Portfolio.from_signals(
        close=data["close"], entries=long_entries, short_entries=short_entries,
        price=data["open"], open=data["open"], high=data["high"], low=data["low"],
        size=1000.0, size_type="value", fees=0.0004, sl_stop=0.012, tp_stop=0.0186,
        upon_opposite_entry="reverse", stop_entry_price="fillprice", init_cash=1_000_000_000.0, freq="1min")


start = time.monotonic()
portfolio = run()
print(f"TIMING from_signals_first {time.monotonic() - start:.4f}")
best = None
best_cpu = None
for _ in range(repeats):
    start, start_cpu = time.monotonic(), time.process_time()
    portfolio = run()
    elapsed, cpu = time.monotonic() - start, time.process_time() - start_cpu
    best = elapsed if best is None else min(best, elapsed)
    best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
print(f"TIMING from_signals {best:.4f}")
print(f"TIMING from_signals_cpu {best_cpu:.4f}")
trades = portfolio.trades.records
print(f"COUNT trades {len(trades)}")
if trades_out:
    readable = portfolio.trades.records_readable
    pd.DataFrame({
        "entry_time": pd.to_datetime(readable["Entry Timestamp"]).dt.strftime("%Y-%m-%dT%H:%M"),
        "exit_time": pd.to_datetime(readable["Exit Timestamp"]).dt.strftime("%Y-%m-%dT%H:%M"),
        "side": readable["Direction"].str.upper(),
        "entry_price": readable["Avg Entry Price"],
        "exit_price": readable["Avg Exit Price"],
    }).to_csv(trades_out, index=False)
print(f"COUNT net_pnl {float(np.sum(trades['pnl'])):.2f}")
print(f"TIMING total_in_process {time.monotonic() - started:.4f}")
