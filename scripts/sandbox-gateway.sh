# Sourced by the scripts that drive a running gateway (scripts/contract.sh,
# scripts/clients.sh): one way to start a sandbox gateway and to stop it cleanly.
#
#   start_gateway BIN WORK KEY [NAME=value...]  starts BIN in sandbox mode on a free port,
#       SQLite in WORK, KEY as the bootstrap admin key, the extra settings given; waits for
#       /healthz; sets URL and GATEWAY_PID; its log is WORK/gateway.log.
#   stop_gateway      SIGTERM, then the exit status of the gateway (0 when it shut down cleanly).
#   kill_gateway      for EXIT traps: SIGKILL if it is still running.
#   gateway_bin       sets BIN: GATEWAY_BIN when given (scripts/test.sh passes the binary
#       its workspace build made; building `-p shipgate --bin shipgate` after that compiles
#       tokio, reqwest, sqlx and the rest a second time with the binary's narrower feature
#       set: minutes on 2 cores), else the debug binary, built.

gateway_bin() {
    if [ -n "${GATEWAY_BIN:-}" ]; then
        BIN=$GATEWAY_BIN
    else
        echo "building the gateway" >&2
        cargo build --quiet -p shipgate --bin shipgate
        BIN=target/debug/shipgate
    fi
}

start_gateway() {
    local bin=$1 work=$2 key=$3 port
    shift 3
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    URL="http://127.0.0.1:$port"
    env -i PATH="$PATH" \
        SHIPGATE_LISTEN="127.0.0.1:$port" \
        SHIPGATE_MODE=sandbox \
        SHIPGATE_DATABASE_URL="sqlite://$work/gateway.db" \
        SHIPGATE_BOOTSTRAP_API_KEY="$key" \
        SHIPGATE_SHUTDOWN_TIMEOUT_SECS=20 \
        RUST_LOG=warn,shipgate::shutdown=info,shipgate::app=info \
        "$@" "$bin" >"$work/gateway.log" 2>&1 &
    GATEWAY_PID=$!
    for _ in $(seq 1 300); do
        curl -fsS "$URL/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$GATEWAY_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/gateway.log" >&2
    echo "the gateway did not start" >&2
    return 1
}

stop_gateway() {
    local status=0
    kill -TERM "$GATEWAY_PID"
    wait "$GATEWAY_PID" || status=$?
    GATEWAY_PID=
    return "$status"
}

kill_gateway() {
    if [ -n "${GATEWAY_PID:-}" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
        kill -KILL "$GATEWAY_PID" 2>/dev/null || true
    fi
}
