#!/usr/bin/env bash
# The checked-in API clients (clients/), generated from the gateway's /openapi.json:
#   Python:     clients/python/shipgate-client/   (openapi-python-client, formatted by ruff)
#   TypeScript: clients/typescript/src/schema.d.ts (openapi-typescript; openapi-fetch calls)
# Everything else under clients/ is written by hand and never touched by generation.
#
#   scripts/clients.sh generate URL   rewrites the generated code from URL/openapi.json
#                                     (a running gateway); commit the result.
#   scripts/clients.sh check          builds the gateway, starts it (sandbox, free port, temp
#                                     SQLite), checks its document (OpenAPI 3.1, every
#                                     operation in the Python client, no generator warning),
#                                     regenerates into a temp dir and fails if clients/ differs,
#                                     then runs the Python and TypeScript tests against it
#                                     (walk-through (docs/walk-through.md), webhook verification).
#
# Tools are pinned: Python ones in clients/python/requirements.txt (installed into
# target/clients-venv), npm ones in clients/typescript/package-lock.json (`npm ci`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV="$ROOT/target/clients-venv"
PY="$ROOT/clients/python"
TS="$ROOT/clients/typescript"
KEY=sg_clients_check_key_0123456789ab

log() { printf '\n==> %s\n' "$*" >&2; }
die() { echo "clients: $*" >&2; exit 1; }
# shellcheck source=scripts/sandbox-gateway.sh
. scripts/sandbox-gateway.sh

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

install_tools() {
    if ! command -v npm >/dev/null; then
        log "installing nodejs and npm (apt-get)"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null \
            || die "node and npm are missing and could not be installed"
    fi
    # A copy of the requirements in the venv says what it holds.
    if ! cmp -s "$PY/requirements.txt" "$VENV/requirements.txt"; then
        log "installing the Python tools into $VENV (clients/python/requirements.txt)"
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$PY/requirements.txt"
        cp "$PY/requirements.txt" "$VENV/requirements.txt"
    fi
    if ! cmp -s "$TS/package-lock.json" "$TS/node_modules/.package-lock.json.installed"; then
        log "installing the npm packages (npm ci, clients/typescript/package-lock.json)"
        (cd "$TS" && npm ci --silent --no-audit --no-fund)
        cp "$TS/package-lock.json" "$TS/node_modules/.package-lock.json.installed"
    fi
}

# generate DOC OUT: both clients' generated code from the document DOC into OUT
# (OUT/python/shipgate-client, OUT/typescript/schema.d.ts), refusing any warning.
generate() {
    local doc=$1 out=$2 text
    mkdir -p "$out/python" "$out/typescript"
    # The ruff post-hooks run from the venv; from the output dir, so no other config applies.
    text=$(cd "$out/python" && PATH="$VENV/bin:$PATH" "$VENV/bin/openapi-python-client" generate \
        --path "$doc" --meta uv --output-path shipgate-client --config "$PY/openapi-python-client.yaml" 2>&1) \
        || die "openapi-python-client failed:"$'\n'"$text"
    if grep -qi "warning\|error" <<<"$text"; then
        die "openapi-python-client warned (fix the document at its source, the utoipa annotations):"$'\n'"$text"
    fi
    "$VENV/bin/python" scripts/openapi_check.py complete "$doc" "$out/python/shipgate-client/shipgate_client"
    text=$("$TS/node_modules/.bin/openapi-typescript" "$doc" -o "$out/typescript/schema.d.ts" 2>&1) \
        || die "openapi-typescript failed:"$'\n'"$text"
    # It says its name and the file it wrote (lines starting ✨ and 🚀); anything else is a warning.
    if grep -v '^✨\|^🚀' <<<"$text" | grep -q .; then
        die "openapi-typescript warned (fix the document at its source, the utoipa annotations):"$'\n'"$text"
    fi
}

fetch_doc() {
    curl -fsS "$1/openapi.json" -o "$2" || die "could not read $1/openapi.json"
}

cmd_generate() {
    local url=${1:?usage: scripts/clients.sh generate URL}
    install_tools
    WORK=$(mktemp -d /tmp/shipgate-clients.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
    fetch_doc "${url%/}" "$WORK/openapi.json"
    "$VENV/bin/python" scripts/openapi_check.py valid "$WORK/openapi.json"
    generate "$WORK/openapi.json" "$WORK/out"
    rm -rf "$PY/shipgate-client"
    mv "$WORK/out/python/shipgate-client" "$PY/shipgate-client"
    mv "$WORK/out/typescript/schema.d.ts" "$TS/src/schema.d.ts"
    log "clients/ regenerated from ${url%/}/openapi.json: commit clients/python/shipgate-client and clients/typescript/src/schema.d.ts"
}

# The generated files under $1 against the checked-in ones; a readable failure if they differ.
check_drift() {
    local out=$1 drifted=0
    mkdir -p "$out/checked-in/python" "$out/checked-in/typescript"
    cp -r "$PY/shipgate-client" "$out/checked-in/python/" 2>/dev/null || true
    cp "$TS/src/schema.d.ts" "$out/checked-in/typescript/" 2>/dev/null || true
    # Caches a test run may leave in the checked-in tree are not code.
    find "$out/checked-in" -name __pycache__ -prune -exec rm -rf {} +
    (cd "$out" && git diff --no-index --quiet checked-in generated) || drifted=1
    if [ "$drifted" -ne 0 ]; then
        echo "clients/ drifted from /openapi.json: run scripts/clients.sh generate" >&2
        (cd "$out" && git diff --no-index --stat=200 checked-in generated) >&2 || true
        (cd "$out" && git diff --no-index checked-in generated | head -n 60) >&2 || true
        exit 1
    fi
    echo "clients: the checked-in clients are what /openapi.json generates"
}

cmd_check() {
    install_tools
    gateway_bin
    local bin=$BIN
    WORK=$(mktemp -d /tmp/shipgate-clients.XXXXXX)
    VALID_PID=
    trap 'kill_gateway; [ -z "$VALID_PID" ] || kill "$VALID_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
    # Scans move only when the tests track (each call reveals the next): no poller racing them.
    start_gateway "$bin" "$WORK" "$KEY" SHIPGATE_POLLING__ENABLED=false SHIPGATE_LIMITS__ENABLED=false
    log "gateway on $URL: regenerating the clients from its /openapi.json"
    fetch_doc "$URL" "$WORK/openapi.json"
    # Validation takes a few seconds of CPU: beside the generation and the tests.
    "$VENV/bin/python" scripts/openapi_check.py valid "$WORK/openapi.json" >"$WORK/valid.log" 2>&1 &
    VALID_PID=$!
    local valid_status=0 py_status=0 ts_status=0 gateway_status=0
    generate "$WORK/openapi.json" "$WORK/generated"
    check_drift "$WORK"

    log "Python client tests (clients/python/tests)"
    (cd "$PY" && SHIPGATE_URL="$URL" SHIPGATE_API_KEY="$KEY" PYTHONDONTWRITEBYTECODE=1 \
        PYTHONPATH="$PY/shipgate-client" "$VENV/bin/pytest" -p no:cacheprovider -q tests) || py_status=$?
    log "TypeScript client tests (clients/typescript/test)"
    (cd "$TS" && rm -rf dist && node_modules/.bin/tsc -p tsconfig.json \
        && SHIPGATE_URL="$URL" SHIPGATE_API_KEY="$KEY" node --test dist/test/*.test.js) || ts_status=$?

    wait "$VALID_PID" || valid_status=$?
    VALID_PID=
    cat "$WORK/valid.log" >&2
    log "stopping the gateway (SIGTERM)"
    stop_gateway || gateway_status=$?
    if [ "$py_status" -ne 0 ] || [ "$ts_status" -ne 0 ] || [ "$gateway_status" -ne 0 ]; then
        log "gateway log (last 60 lines)"
        tail -n 60 "$WORK/gateway.log" >&2
    fi
    [ "$gateway_status" -eq 0 ] || die "the gateway exited with $gateway_status after SIGTERM"
    [ "$valid_status" -eq 0 ] || die "the gateway's /openapi.json is not valid OpenAPI 3.1"
    [ "$py_status" -eq 0 ] || die "the Python client tests failed"
    [ "$ts_status" -eq 0 ] || die "the TypeScript client tests failed"
    log "clients check passed"
}

case "${1:-}" in
    generate) shift; cmd_generate "$@" ;;
    check) cmd_check ;;
    *) echo "usage: scripts/clients.sh generate URL | scripts/clients.sh check" >&2; exit 2 ;;
esac
