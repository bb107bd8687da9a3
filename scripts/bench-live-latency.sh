#!/usr/bin/env bash
# Benchmark: live stop latency through the real Binance adapter against the local venue — from a
# mark-price message that crosses the stop arriving on the socket to the reduce-only close handed
# to the HTTP client (Tests/LiveVenueTests/LiveLatencyBenchmark.swift; skipped by `make test`).
# CYCLES entries-and-stop-outs (default 30), one sample each; prints p50 / p99 / max.
# CONFIGURATION=release measures an optimised build (the acceptance figure; the release test
# bundle is built once into .build-release-tests, about an hour on 2 busy cores).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${CONFIGURATION:-debug}" = release ]; then
  build=(-c release --scratch-path .build-release-tests)
  swift build "${build[@]}" --build-tests -Xswiftc -enable-testing
else
  build=()
  swift build --build-tests
fi
QT_BENCH_LIVE_LATENCY="${CYCLES:-30}" swift test "${build[@]}" --skip-build --filter LiveLatencyBenchmark 2>&1 | grep -E "live stop latency|✘" | sort -u
