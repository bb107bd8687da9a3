# QuantumTrader build entry points. Quick start: `make demo`, `make test`.
SHELL := /bin/bash
SWIFT ?= swift
# System packages the build needs (Debian). Installed idempotently by `make bootstrap`.
APT_PACKAGES := zlib1g-dev libsqlite3-dev libxgboost-dev postgresql
# Only for the test targets (they set TEST_TOOLS): headless Chromium for the dashboard's browser test.
# A machine that cannot install it still tests; that one test is then reported skipped, with the reason.
TEST_APT_PACKAGES := chromium

.PHONY: bootstrap build release test demo bench bench-live clean train-demo ml-demo chaos fuzz schemathesis test-ray

bootstrap:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@if [ -n "$(TEST_TOOLS)" ]; then \
	  missing=""; for p in $(TEST_TOOLS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing for the tests:$$missing"; \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    ($$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing) \
	      || echo "warning: could not install$$missing; the dashboard browser test will be reported skipped"; \
	  fi; \
	fi
	@./scripts/install-lightgbm.sh

# The test targets install the test tools too (target-specific variables reach `bootstrap`).
test chaos schemathesis: TEST_TOOLS = $(TEST_APT_PACKAGES)

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

# Live stop latency against the local venue (debug build; CYCLES=30 by default).
bench-live: bootstrap
	./scripts/bench-live-latency.sh

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

# Kill test alone: the live bot (real Binance adapter) against the local venue, killed at 100
# seeded random points (REST requests and user-data fill reports, a random venue fault each) and
# restarted; prints the figures (50 iterations inside `make test`; QT_KILL_ITERATIONS to change).
chaos: bootstrap
	$(SWIFT) build --build-tests
	QT_KILL_ITERATIONS=100 $(SWIFT) test --skip-build --filter KillRestartTests

# Fuzzing: every target of Fuzz/targets.txt (libFuzzer, -sanitize=fuzzer) for its listed number of
# executions on its committed seed corpus; fails on a crash (scripts/fuzz.sh).
fuzz: bootstrap
	./scripts/fuzz.sh

# The dashboard's JSON API fuzzed by schemathesis (PyPI, in .venv-schemathesis/) against the OpenAPI
# document it serves, beside a `qt paper --local-venue` session; checks: no 5xx, status codes,
# content types and bodies as documented. Prints the summary (see README, Tests).
schemathesis: bootstrap
	./scripts/schemathesis.sh
# Real-Ray integration test of `qt sweep --engine ray` (opt-in; `make test` needs no Ray): a pinned
# ray[default] from PyPI in .build/ray-venv, a local head on 127.0.0.1 (usage stats off), the
# 20-unit example sweep on the local engine and on Ray, result lines compared (scripts/test-ray.sh).
test-ray: bootstrap
	$(SWIFT) build --product qt
	./scripts/test-ray.sh
