#!/usr/bin/env bash
# The main job on the embedded default: bundled real data, SQLite, no network, no keys.
set -euo pipefail
cd "$(dirname "$0")/.."
QT=.build/release/qt
$QT --version
