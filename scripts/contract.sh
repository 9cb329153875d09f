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
#   5. stops the gateway with SIGTERM and checks it shut down cleanly (exit 0).
# The generated clients and the document's OpenAPI 3.1 validation: scripts/clients.sh check.
#
# Usage: scripts/contract.sh [extra schemathesis args]
# Environment: CONTRACT_MAX_EXAMPLES (default 100), CONTRACT_SEED (default 1; "random" for
# a new seed each run).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
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

WORK=$(mktemp -d /tmp/shipgate-contract.XXXXXX)
# shellcheck source=scripts/sandbox-gateway.sh
. scripts/sandbox-gateway.sh
gateway_bin
trap 'kill_gateway; rm -rf "$WORK"' EXIT

log "starting the gateway"
start_gateway "$BIN" "$WORK" "$KEY"
log "the gateway is on $URL"

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

log "stopping the gateway (SIGTERM)"
gateway_status=0
stop_gateway || gateway_status=$?
if [ "$status" -ne 0 ] || [ "$gateway_status" -ne 0 ]; then
    log "gateway log (warnings and errors)"
    tail -n 100 "$WORK/gateway.log" >&2
fi
[ "$gateway_status" -eq 0 ] || { echo "the gateway exited with $gateway_status after SIGTERM" >&2; exit 1; }
[ "$status" -eq 0 ] || { echo "contract check failed" >&2; exit "$status"; }
log "contract check passed"
