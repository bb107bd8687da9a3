#!/usr/bin/env bash
# Fuzzes the dashboard's JSON API with schemathesis (PyPI, pinned, in .venv-schemathesis/) against
# the OpenAPI document the server itself serves at /api/v1/openapi.json.
# The server: the dashboard beside a running `qt paper --local-venue` session, with an API token
# whose bcrypt hash sits in a temporary credentials file.
# Checks: no 5xx, every response as documented (status code, content type, JSON schema).
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV=.venv-schemathesis
MAX_EXAMPLES=${MAX_EXAMPLES:-25}

if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

swift build --product qt
QT=.build/debug/qt
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A paper session on the local venue (a month of LINKUSDT at 60x real time, exit engine) with the
# dashboard beside it, as `qt paper` runs it: the API reads the live session and its actions are
# answered by the session at its next tick.
cp examples/ema-cross-exit-engine.toml "$WORK/paper.toml"
printf '\n[storage]\npath = "%s/qt.sqlite"\n' "$WORK" >> "$WORK/paper.toml"
printf '\n[dashboard]\nenabled = true\nport = 0\nrefresh = "0s"\ncredentials_file = "%s/credentials"\n' "$WORK" >> "$WORK/paper.toml"
TOKEN=$("$QT" dashboard set-password --token --config "$WORK/paper.toml" --cost 4 | sed -n 's/^API token (shown once; keep it secret): //p')
[ -n "$TOKEN" ] || { echo "schemathesis: no API token was created" >&2; exit 1; }

"$QT" paper --config "$WORK/paper.toml" --local-venue data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz --speed 60 \
  > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  PORT=$(sed -n 's|^dashboard: http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/server.log")
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "${PORT:-}" ] || { echo "schemathesis: the dashboard did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/openapi.json" > "$WORK/openapi.json"

echo "schemathesis $SCHEMATHESIS_VERSION against $BASE/api/v1 (document served at /api/v1/openapi.json), $MAX_EXAMPLES examples per operation"
"$VENV/bin/schemathesis" run "$WORK/openapi.json" --url "$BASE/api/v1" -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" --request-timeout 40 --seed 1 --no-color
