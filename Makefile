# QuantumTrader build entry points. Quick start: `make demo`, `make test`.
SHELL := /bin/bash
SWIFT ?= swift
# System packages the build needs (Debian). Installed idempotently by `make bootstrap`.
APT_PACKAGES := zlib1g-dev libsqlite3-dev libxgboost-dev postgresql

.PHONY: bootstrap build release test demo bench clean train-demo ml-demo chaos fuzz test-ray

bootstrap:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@./scripts/install-lightgbm.sh

build: bootstrap
	$(SWIFT) build

release: bootstrap
	$(SWIFT) build -c release --product qt

test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: release
	./scripts/demo.sh

bench: bootstrap
	./scripts/bench.sh

clean:
	rm -rf .build

# Signals: train the XGBoost + LightGBM ensemble on the bundled Feb-2026 1m data and print the
# out-of-sample report (runs/model-demo/report.html).
train-demo: release
	.build/release/qt train --config config/train-demo.toml --data data/binance-usdm/*-1m-2026-02-*.csv.gz
	.build/release/qt model report runs/model-demo

# ml-ensemble strategy: train on FILUSDT 2023, backtest on the later, unseen FILUSDT Sep-Nov 2024
# (out of sample), show that an overlapping period is refused and a forced one labelled IN-SAMPLE.
ml-demo: release
	./scripts/ml-demo.sh

# Kill test alone: the live bot (real Binance adapter) against the local venue, killed at 50
# seeded random points and restarted; prints the figures (also part of `make test`).
chaos: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter KillRestartTests

# Fuzzing: every target of Fuzz/targets.txt (libFuzzer, -sanitize=fuzzer) for its listed number of
# executions on its committed seed corpus; fails on a crash (scripts/fuzz.sh).
fuzz: bootstrap
	./scripts/fuzz.sh

# Real-Ray integration test of `qt sweep --engine ray` (opt-in; `make test` needs no Ray): a pinned
# ray[default] from PyPI in .build/ray-venv, a local head on 127.0.0.1 (usage stats off), the
# 20-unit example sweep on the local engine and on Ray, result lines compared (scripts/test-ray.sh).
test-ray: bootstrap
	$(SWIFT) build --product qt
	./scripts/test-ray.sh
