#!/usr/bin/env bash
# Installs the LightGBM C library and headers into vendor/lightgbm (git-ignored, project-local).
# Source: PyPI only - the manylinux wheel carries lib_lightgbm.so, the sdist carries the headers.
# No compilation, no root. Idempotent: does nothing when the library and header are present.
# Recipe: shared/research/ml-libraries.md ("Project-local LightGBM layout that built").
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${LIGHTGBM_VERSION:-4.7.0}"
PREFIX="vendor/lightgbm"
if [ -f "$PREFIX/lib/lib_lightgbm.so" ] && [ -f "$PREFIX/include/LightGBM/c_api.h" ] \
   && [ "$(cat "$PREFIX/VERSION" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
PIP="${PIP:-$(command -v pip3 || command -v pip || true)}"
[ -n "$PIP" ] || { echo "install-lightgbm: pip is required (python3-pip)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "install-lightgbm: downloading lightgbm==$VERSION wheel and sdist from PyPI" >&2
"$PIP" download --quiet --no-deps -d "$WORK/wheel" "lightgbm==$VERSION"
# Not --no-binary :all: (that would compile build dependencies such as cmake from source).
"$PIP" download --quiet --no-deps --no-binary lightgbm -d "$WORK/sdist" "lightgbm==$VERSION"
WHEEL="$(ls "$WORK"/wheel/lightgbm-*.whl | head -n1)"
SDIST="$(ls "$WORK"/sdist/lightgbm-*.tar.gz | head -n1)"
python3 -m zipfile -e "$WHEEL" "$WORK/wheel-x"
mkdir -p "$WORK/sdist-x"
tar -xzf "$SDIST" -C "$WORK/sdist-x"
HEADERS="$(find "$WORK/sdist-x" -type d -path '*/include/LightGBM' | head -n1)"
[ -n "$HEADERS" ] || { echo "install-lightgbm: include/LightGBM not found in sdist" >&2; exit 1; }
rm -rf "$PREFIX.tmp"
mkdir -p "$PREFIX.tmp/lib" "$PREFIX.tmp/include/LightGBM"
cp "$WORK/wheel-x/lightgbm/lib/lib_lightgbm.so" "$PREFIX.tmp/lib/"
cp -R "$HEADERS/." "$PREFIX.tmp/include/LightGBM/"
echo "$VERSION" > "$PREFIX.tmp/VERSION"
rm -rf "$PREFIX"
mv "$PREFIX.tmp" "$PREFIX"
echo "install-lightgbm: installed LightGBM $VERSION into $PREFIX" >&2
