#!/usr/bin/env bash
# Browser tests of the console (/console) and the buyer's tracking page (/t/{token}):
# selenium driving Debian's chromium headless through chromium-driver (tests/browser/).
#
#   1. installs missing prerequisites: chromium and chromium-driver (apt-get), selenium and
#      pytest (pinned, into target/browser-venv), axe-core (pinned, npm, into
#      target/browser-cache),
#   2. starts the already built gateway (it builds nothing: the binary is the first
#      argument, default target/debug/shipgate) in sandbox mode on a free port with its own
#      temp SQLite, a bootstrap admin key and a `read` key made with `shipgate key create`,
#   3. runs the flows (tests/browser/test_console.py): they seed their data through the
#      public API, act in the browser, check the outcome through the API, run axe-core
#      and the 375 px check on every page, and save PNG screenshots of every page (desktop
#      and phone) into target/browser-artifacts/,
#   4. stops the gateway (SIGTERM, then checks it exited cleanly) and everything else on exit.
#
# Without a browser it fails when CI is set and skips (exit 0, with a warning) otherwise.
# Usage: scripts/browser-test.sh [GATEWAY_BINARY] [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SELENIUM_VERSION=4.51.0
PYTEST_VERSION=8.4.2
AXE_VERSION=4.11.4
VENV="$ROOT/target/browser-venv"
CACHE="$ROOT/target/browser-cache"
ARTIFACTS="$ROOT/target/browser-artifacts"
BIN=${1:-target/debug/shipgate}
[ $# -gt 0 ] && shift
KEY=sg_browser_admin_key_0123456789ab

log() { printf '\n==> %s\n' "$*" >&2; }
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}
no_browser() {
    if [ -n "${CI:-}" ]; then
        echo "browser tests: $* (CI is set: this fails instead of skipping)" >&2
        exit 1
    fi
    echo "browser tests SKIPPED: $*" >&2
    exit 0
}

[ -x "$BIN" ] || { echo "no gateway binary at $BIN (build it first: cargo build -p shipgate --bin shipgate)" >&2; exit 1; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing chromium and chromium-driver (apt-get)"
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq chromium chromium-driver >/dev/null; } \
        || no_browser "chromium and chromium-driver are missing and could not be installed"
fi
command -v chromium >/dev/null && command -v chromedriver >/dev/null \
    || no_browser "chromium or chromedriver is still missing"

# (Output captured first: with pipefail, `grep -q` closing the pipe early fails pip.)
installed=$("$VENV/bin/pip" list --format=freeze --disable-pip-version-check 2>/dev/null || true)
if [ ! -x "$VENV/bin/pytest" ] \
    || ! grep -qx "selenium==$SELENIUM_VERSION" <<<"$installed" \
    || ! grep -qx "pytest==$PYTEST_VERSION" <<<"$installed"; then
    log "installing selenium $SELENIUM_VERSION and pytest $PYTEST_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "selenium==$SELENIUM_VERSION" "pytest==$PYTEST_VERSION"
fi

AXE="$CACHE/node_modules/axe-core/axe.min.js"
if [ ! -f "$AXE" ] || ! grep -q "\"version\": \"$AXE_VERSION\"" "$CACHE/node_modules/axe-core/package.json" 2>/dev/null; then
    log "installing axe-core $AXE_VERSION into $CACHE"
    command -v npm >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    mkdir -p "$CACHE"
    npm install --silent --no-audit --no-fund --prefix "$CACHE" "axe-core@$AXE_VERSION" >/dev/null
fi

WORK=$(mktemp -d /tmp/shipgate-browser.XXXXXX)
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
gateway_env=(
    PATH="$PATH"
    SHIPGATE_LISTEN="127.0.0.1:$PORT"
    SHIPGATE_MODE=sandbox
    SHIPGATE_DATABASE_URL="sqlite://$WORK/browser.db"
    SHIPGATE_BOOTSTRAP_API_KEY="$KEY"
    # Scans move only when the tests track (each call reveals the next): no poller racing them.
    SHIPGATE_POLLING__ENABLED=false
    # The flows act fast and seed many bookings at once.
    SHIPGATE_LIMITS__ENABLED=false
    SHIPGATE_NDR__SETTLE_EVERY_MS=200
    SHIPGATE_SHUTDOWN_TIMEOUT_SECS=10
    RUST_LOG=warn
)

# The read key is made as an operator makes one (the CLI against the same database); the
# tenant first, as the gateway's bootstrap key names it too.
env -i "${gateway_env[@]}" "$BIN" tenant create demo >/dev/null 2>"$WORK/cli.log" \
    || { cat "$WORK/cli.log" >&2; exit 1; }
READ_KEY=$(env -i "${gateway_env[@]}" "$BIN" key create --tenant demo --role read --label "browser tests" 2>>"$WORK/cli.log") \
    || { cat "$WORK/cli.log" >&2; exit 1; }

log "starting the gateway on $URL ($BIN)"
env -i "${gateway_env[@]}" "$BIN" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 300); do
    curl -fsS "$URL/healthz" >/dev/null 2>&1 && break
    kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$WORK/gateway.log" >&2; echo "the gateway did not start" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$URL/healthz" >/dev/null

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
log "browser tests (screenshots in $ARTIFACTS)"
status=0
SG_URL="$URL" SG_KEY="$KEY" SG_READ_KEY="$READ_KEY" SG_AXE="$AXE" SG_ARTIFACTS="$ARTIFACTS" \
    SE_OFFLINE=true SE_AVOID_STATS=true \
    "$VENV/bin/pytest" -p no:cacheprovider -q -rA --tb=short "$ROOT/tests/browser" "$@" || status=$?

log "stopping the gateway (SIGTERM)"
kill -TERM "$GATEWAY_PID"
gateway_status=0
wait "$GATEWAY_PID" || gateway_status=$?
GATEWAY_PID=
if [ "$status" -ne 0 ] || [ "$gateway_status" -ne 0 ]; then
    log "gateway log (last 60 lines)"
    tail -n 60 "$WORK/gateway.log" >&2
    cp "$WORK/gateway.log" "$ARTIFACTS/gateway.log"
fi
[ "$gateway_status" -eq 0 ] || { echo "the gateway exited with $gateway_status after SIGTERM" >&2; exit 1; }
[ "$status" -eq 0 ] || { echo "browser tests failed (screenshots and logs in $ARTIFACTS)" >&2; exit "$status"; }
log "browser tests passed"
