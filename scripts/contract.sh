#!/usr/bin/env bash
# Contract check: a schema fuzzer (schemathesis) against a running gateway, driven by the
# gateway's own /openapi.json. Fails on any 5xx and on any response whose status, content
# type, headers or body the document does not describe.
#
#   1. creates (or reuses) a virtualenv under target/contract-venv with a pinned schemathesis,
#   2. builds the gateway and starts it (sandbox mode, SQLite in a temp dir, a free port,
#      a bootstrap API key),
#   3. seeds real resources (scripts/contract_seed.py) so generated requests reach them,
#      and draws the bodies schemathesis cannot (PDF uploads: scripts/contract_hooks.py),
#   4. runs schemathesis with a bounded number of examples per operation,
#   5. generates a Python client from the document with openapi-python-client (no warning
#      allowed) and drives rates -> book -> label -> tracking -> cancel through it
#      (scripts/sdk_check.py),
#   6. stops the gateway with SIGTERM and checks it shut down cleanly (exit 0).
#
# Usage: scripts/contract.sh [extra schemathesis args]
# Environment: CONTRACT_MAX_EXAMPLES (default 100), CONTRACT_SEED (default 1; "random" for
# a new seed each run).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
OPENAPI_PYTHON_CLIENT_VERSION=0.29.1
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0
ROOT=$PWD
VENV="$ROOT/target/contract-venv"
KEY=sg_contract_check_key_0123456789
MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-100}
SEED=${CONTRACT_SEED:-1}

log() { printf '\n==> %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
if ! "$VENV/bin/openapi-python-client" --version 2>/dev/null | grep -q "$OPENAPI_PYTHON_CLIENT_VERSION" \
    || ! "$VENV/bin/pip" show openapi-spec-validator 2>/dev/null | grep -q "Version: $OPENAPI_SPEC_VALIDATOR_VERSION"; then
    log "installing openapi-python-client $OPENAPI_PYTHON_CLIENT_VERSION and openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION into $VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION" "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"
fi

log "building the gateway"
cargo build --quiet -p shipgate --bin shipgate
BIN=target/debug/shipgate

WORK=$(mktemp -d /tmp/shipgate-contract.XXXXXX)
GATEWAY_PID=
cleanup() {
    if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
        kill -KILL "$GATEWAY_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
log "starting the gateway on $URL"
env -i PATH="$PATH" \
    SHIPGATE_LISTEN="127.0.0.1:$PORT" \
    SHIPGATE_MODE=sandbox \
    SHIPGATE_DATABASE_URL="sqlite://$WORK/contract.db" \
    SHIPGATE_BOOTSTRAP_API_KEY="$KEY" \
    SHIPGATE_SHUTDOWN_TIMEOUT_SECS=20 \
    RUST_LOG=warn,shipgate::shutdown=info,shipgate::app=info \
    "$BIN" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 300); do
    curl -fsS "$URL/healthz" >/dev/null 2>&1 && break
    kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$WORK/gateway.log" >&2; echo "the gateway did not start" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$URL/healthz" >/dev/null

log "seeding a shipment, a webhook endpoint and a message for the fuzzer to reach"
python3 scripts/contract_seed.py "$URL" "$KEY" "$WORK/schemathesis.toml"

seed_args=()
[ "$SEED" = random ] || seed_args=(--seed "$SEED")

log "schemathesis: at most $MAX_EXAMPLES examples per operation"
status=0
# From the temp dir, where schemathesis keeps its cache, not in the checkout.
(cd "$WORK" && SCHEMATHESIS_HOOKS=contract_hooks PYTHONPATH="$ROOT/scripts" "$VENV/bin/schemathesis" --config-file "$WORK/schemathesis.toml" run "$URL/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --header "Authorization: Bearer $KEY" \
    --max-examples "$MAX_EXAMPLES" \
    --phases examples,coverage,fuzzing \
    --workers 1 \
    --request-timeout 30 \
    --no-color \
    "${seed_args[@]}" "$@") || status=$?

sdk_status=0
if [ "$status" -eq 0 ]; then
    log "generated client: openapi-python-client, then rates -> book -> label -> tracking -> cancel through it"
    PATH="$VENV/bin:$PATH" "$VENV/bin/python" scripts/sdk_check.py "$URL" "$KEY" || sdk_status=$?
fi

log "stopping the gateway (SIGTERM)"
kill -TERM "$GATEWAY_PID"
gateway_status=0
wait "$GATEWAY_PID" || gateway_status=$?
GATEWAY_PID=
if [ "$status" -ne 0 ] || [ "$gateway_status" -ne 0 ]; then
    log "gateway log (warnings and errors)"
    tail -n 100 "$WORK/gateway.log" >&2
fi
[ "$gateway_status" -eq 0 ] || { echo "the gateway exited with $gateway_status after SIGTERM" >&2; exit 1; }
[ "$status" -eq 0 ] || { echo "contract check failed" >&2; exit "$status"; }
[ "$sdk_status" -eq 0 ] || { echo "generated-client check failed" >&2; exit "$sdk_status"; }
log "contract check passed"
