#!/usr/bin/env bash
# The whole test suite, from a clean clone:
#   1. installs missing prerequisites with apt-get (PostgreSQL, Redis and OpenSSH servers,
#      promtool) when it can,
#   2. checks formatting,
#   3. runs every test on SQLite (the Redis tests start their own redis-server), the
#      conformance suite over every registered carrier included (tests/it/conformance.rs),
#   4. runs the contract check (scripts/contract.sh: schemathesis against the gateway,
#      40 examples per operation) while the fuzz binary builds in the background,
#      then the browser tests (scripts/browser-test.sh: the console and the tracking page
#      in headless Chromium, axe-core, phone width, screenshots in target/browser-artifacts),
#      with the clients' check beside them (scripts/clients.sh check: the document validates
#      as OpenAPI 3.1, clients/ is what it generates, the Python and TypeScript clients'
#      tests pass), then the deploy files' check (scripts/check-deploy.sh: promtool, the
#      metrics the alerts and the dashboard use against the running gateway, manifests),
#   5. starts a throwaway PostgreSQL on a free port and runs the store and API tests on it,
#   6. clippy with warnings as errors: run by the build of step 3 itself (see below),
#   7. fuzzes every reader, one target per core, for about a minute and a half (scripts/fuzz.sh; FUZZ_OPTIONAL=1
#      skips it with a warning where cargo-fuzz cannot be installed or built).
# Everything it starts is stopped on exit. Usage: scripts/test.sh [extra test-runner args]
set -euo pipefail
cd "$(dirname "$0")/.."

STARTED=$(date +%s)
# Each step with the minutes and seconds since the start, so a slow step shows in CI's log.
log() {
    local t=$(( $(date +%s) - STARTED ))
    printf '\n==> [%d:%02d] %s\n' $(( t / 60 )) $(( t % 60 )) "$*" >&2
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

pg_bin_dir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

missing=()
[ -n "$(pg_bin_dir)" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
# The COD remittance SFTP tests start their own sshd (tests/it/cod_remittance.rs).
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
# promtool, for the alert rules' check (scripts/check-deploy.sh).
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (apt-get)"
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || { echo "missing ${missing[*]} and could not install them; install those packages" >&2; exit 1; }
fi
PG_BIN=$(pg_bin_dir)

if cargo nextest --version >/dev/null 2>&1; then
    run_tests() { cargo nextest run --no-fail-fast "$@"; }
else
    run_tests() { cargo test --no-fail-fast "$@"; }
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

WORK=$(mktemp -d /tmp/shipgate-test.XXXXXX)
pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$WORK"
    pg() { runuser -u postgres -- "$@"; }
fi

FUZZ_BUILD_PID=
CLIENTS_PID=
cleanup() {
    [ -z "$FUZZ_BUILD_PID" ] || kill "$FUZZ_BUILD_PID" 2>/dev/null || true
    [ -z "$CLIENTS_PID" ] || kill "$CLIENTS_PID" 2>/dev/null || true
    if [ -f "$WORK/pg/postmaster.pid" ]; then
        pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

log "checking formatting"
cargo fmt --all -- --check

# Clippy lints every workspace crate while the build compiles it: the wrapper and the
# arguments are what `cargo clippy` sets itself, and clippy-driver compiles as rustc does.
# So the tests run on code clippy passed, and no second compile of the workspace (plus a
# check of every dependency, about three minutes from a clean clone on 2 cores) is needed.
CLIPPY_DRIVER="$(rustc --print sysroot)/bin/clippy-driver"
if [ -x "$CLIPPY_DRIVER" ]; then
    export RUSTC_WORKSPACE_WRAPPER="$CLIPPY_DRIVER"
    export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
fi

log "building${RUSTC_WORKSPACE_WRAPPER:+ (clippy: warnings are errors)}"
cargo build --workspace --all-targets

log "tests on SQLite"
run_tests --workspace "$@"

# The contract check and the clients' tests run the gateway this build made, instead of
# building `-p shipgate --bin shipgate` again (another feature set: a second compile).
export GATEWAY_BIN=target/debug/shipgate

# The fuzz binary (its own workspace, release, coverage-instrumented: about four CPU minutes
# from clean) builds in the background while the contract check and the browser tests,
# which mostly wait on HTTP, run; the fuzzing step waits for it.
log "building the fuzz binary in the background (log: $WORK/fuzz-build.log)"
env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS FUZZ_BUILD_ONLY=1 scripts/fuzz.sh >"$WORK/fuzz-build.log" 2>&1 &
FUZZ_BUILD_PID=$!

# The clients' check (installing its tools, regenerating, the Python and TypeScript tests)
# mostly waits on pip, npm and HTTP: it runs beside the contract check and the browser
# tests, each against a gateway of its own, and its log is shown when it is done.
log "clients in the background (scripts/clients.sh check; log: $WORK/clients.log)"
scripts/clients.sh check >"$WORK/clients.log" 2>&1 &
CLIENTS_PID=$!

# 40 schemathesis examples per operation here (about 110 operations); longer runs on demand
# with CONTRACT_MAX_EXAMPLES=500 scripts/contract.sh.
log "contract check (schemathesis against the running gateway)"
CONTRACT_MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-40} scripts/contract.sh

log "browser tests"
scripts/browser-test.sh

log "deploy files (scripts/check-deploy.sh: alert rules, dashboard, manifests against the gateway)"
scripts/check-deploy.sh

log "clients (waiting for the check started above)"
clients_ok=true
wait "$CLIENTS_PID" || clients_ok=false
cat "$WORK/clients.log" >&2
$clients_ok || { echo "the clients' check failed (log above)" >&2; exit 1; }

log "starting PostgreSQL"
PG_PORT=$(free_port)
pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 >/dev/null
pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
"$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -t 30 >/dev/null
export SG_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

log "store and API tests on PostgreSQL (port $PG_PORT)"
run_tests -p shipgate --tests "$@"
unset SG_TEST_POSTGRES_URL

if [ -z "${RUSTC_WORKSPACE_WRAPPER:-}" ]; then
    log "clippy (no clippy-driver beside rustc to lint during the build)"
    cargo clippy --workspace --all-targets -- -D warnings
fi

log "fuzzing (waiting for the fuzz binary's build first)"
if ! wait "$FUZZ_BUILD_PID"; then
    cat "$WORK/fuzz-build.log" >&2
    echo "the fuzz binary did not build" >&2
    exit 1
fi
# The fuzz targets are their own workspace, built with cargo-fuzz's flags: no clippy there.
env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS scripts/fuzz.sh

log "all checks passed"
