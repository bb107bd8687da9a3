#!/usr/bin/env bash
# Builds the libtorch plugin (N-HiTS, TFT) into .build/qtdeep/libqtdeep.so, only when its
# sources changed. Signals opens it with dlopen; nothing else links libtorch.
set -euo pipefail
cd "$(dirname "$0")/.."
source=Plugins/DeepTorch/qtdeep.cpp
header=Plugins/DeepTorch/qtdeep.h
output=.build/qtdeep/libqtdeep.so
if [ -f "$output" ] && [ "$output" -nt "$source" ] && [ "$output" -nt "$header" ] && [ "$output" -nt "$0" ]; then
  exit 0
fi
if [ ! -d /usr/include/torch/csrc/api/include ]; then
  echo "error: libtorch headers not found (Debian libtorch-dev); run 'make bootstrap'" >&2
  exit 1
fi
mkdir -p .build/qtdeep
echo "building $output (libtorch, ~1 min)"
${CXX:-g++} -std=c++17 -O2 -fPIC -shared -Wno-deprecated-declarations \
  -I/usr/include/torch/csrc/api/include -IPlugins/DeepTorch \
  "$source" -o "$output.tmp" \
  -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 -Wl,--as-needed
mv "$output.tmp" "$output"
