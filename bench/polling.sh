#!/usr/bin/env bash
# Benchmark for issue 4, item 2: tracking polls per second with 1 and with 2 gateway
# processes sharing one PostgreSQL.
#
# A separate sandbox gateway plays the carrier: its Delhivery simulator answers every
# tracking call LATENCY_MS late (a sandbox fault), the way a real carrier API takes time.
# SHIPMENTS shipments are booked through it (by a gateway with polling off), every
# polling interval is set to one second, so all of them are due all the time and the
# pollers run flat out; then PROCS gateways poll for DURATION seconds and the polls they
# completed (shipgate_tracking_polls_total, outcomes updated and unchanged) are counted.
# Each process polls with its default concurrency (SHIPGATE_POLLING__CONCURRENCY), so one
# process tops out near concurrency / latency; a second process on the same database
# should roughly double that, as long as the database and the CPU keep up (the machine
# runs the carrier, PostgreSQL and the gateways at once).
#
# Usage: bench/polling.sh   (SHIPMENTS=2000 DURATION=15 LATENCY_MS=50 PROCS="1 2")
# Needs: curl, jq, python3, PostgreSQL server binaries. Numbers are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

SHIPMENTS=${SHIPMENTS:-2000}
DURATION=${DURATION:-15}
LATENCY_MS=${LATENCY_MS:-50}
PROCS=${PROCS:-"1 2"}
CONCURRENCY=${CONCURRENCY:-16}
KEY=sg_bench_key_0123456789abcdef

for tool in curl jq python3; do
    command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$PG_BIN" ] || { echo "bench needs PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/shipgate

WORK=$(mktemp -d /tmp/shipgate-bench-polling.XXXXXX)
PIDS=()
pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$WORK"
    pg() { runuser -u postgres -- "$@"; }
fi
stop_all() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
cleanup() {
    stop_all
    [ -n "${CARRIER_PID:-}" ] && kill "$CARRIER_PID" 2>/dev/null || true
    if [ -f "$WORK/pg/postmaster.pid" ]; then
        pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -sf "$1/healthz" >/dev/null && return 0; sleep 0.1; done; echo "gateway at $1 did not start" >&2; exit 1; }
# Sum of a Prometheus series (all label sets starting with the pattern) from /metrics.
metric() {
    curl -s "$1/metrics" | awk -v p="$2" 'index($0, p) == 1 { s += $NF } END { printf "%d\n", s }'
}
polls() {
    local url=$1
    echo $(( $(metric "$url" 'shipgate_tracking_polls_total{carrier="delhivery",outcome="updated"}') \
           + $(metric "$url" 'shipgate_tracking_polls_total{carrier="delhivery",outcome="unchanged"}') ))
}

PG_PORT=$(free_port)
pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 >/dev/null
pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
PG_URL="postgres://postgres@127.0.0.1:$PG_PORT"

# The carrier: a sandbox gateway that polls nothing itself, tracking answered late.
CARRIER_PORT=$(free_port)
CARRIER="http://127.0.0.1:$CARRIER_PORT"
env SHIPGATE_LISTEN=127.0.0.1:$CARRIER_PORT SHIPGATE_DATABASE_URL="sqlite://$WORK/carrier.db" \
    SHIPGATE_POLLING__ENABLED=false SHIPGATE_LIMITS__ENABLED=false RUST_LOG=error \
    "$BIN" 2>"$WORK/carrier.log" &
CARRIER_PID=$!
wait_up "$CARRIER"
curl -sf -X POST "$CARRIER/sandbox/delhivery/_faults" -H 'content-type: application/json' \
    -d "{\"path_contains\": \"packages/json\", \"delay_ms\": $LATENCY_MS, \"times\": 4000000000}" >/dev/null

gateway() { # name port db polling
    env SHIPGATE_LISTEN=127.0.0.1:$2 SHIPGATE_DATABASE_URL="$3" SHIPGATE_BOOTSTRAP_API_KEY=$KEY \
        SHIPGATE_LIMITS__ENABLED=false RUST_LOG=warn \
        SHIPGATE_CARRIERS__DELHIVERY__BASE_URL="$CARRIER/sandbox/delhivery" \
        SHIPGATE_POLLING__ENABLED="$4" SHIPGATE_POLLING__FIRST_POLL_SECS=0 \
        SHIPGATE_POLLING__CONCURRENCY="$CONCURRENCY" SHIPGATE_POLLING__TICK_MS=100 \
        SHIPGATE_POLLING__NEAR_DELIVERY_SECS=1 SHIPGATE_POLLING__PRE_TRANSIT_SECS=1 \
        SHIPGATE_POLLING__TRANSIT_MIN_SECS=1 SHIPGATE_POLLING__TRANSIT_MAX_SECS=1 \
        SHIPGATE_POLLING__EXCEPTION_SECS=1 \
        "$BIN" 2>"$WORK/$1.log" &
    PIDS+=($!)
}

for procs in $PROCS; do
    db="$PG_URL/bench_polling_$procs"
    pg "$PG_BIN/psql" -h "$WORK" -p "$PG_PORT" -U postgres -qc "CREATE DATABASE bench_polling_$procs" >/dev/null

    # Book with polling off, so every run starts with the same due set.
    port=$(free_port); url="http://127.0.0.1:$port"
    gateway "book-$procs" "$port" "$db" false
    wait_up "$url"
    seq "$SHIPMENTS" | xargs -P 8 -I{} sh -c \
        "jq -c '.order_ref = \"POLL-$procs-{}\" | .carrier = \"delhivery\" | .to.postal_code = \"560001\"' examples/shipment.json \
         | curl -s $url/v1/shipments -H 'Authorization: Bearer $KEY' -H 'content-type: application/json' -d @- \
         | jq -r '.awb // empty'" > "$WORK/awbs-$procs"
    booked=$(wc -l < "$WORK/awbs-$procs")
    stop_all

    urls=()
    for i in $(seq "$procs"); do
        port=$(free_port); url="http://127.0.0.1:$port"
        gateway "poll-$procs-$i" "$port" "$db" true
        urls+=("$url")
    done
    for url in "${urls[@]}"; do wait_up "$url"; done
    sleep 3   # warm-up: connections, first claims
    before=0; for url in "${urls[@]}"; do before=$((before + $(polls "$url"))); done
    t0=$(python3 -c 'import time; print(time.time())')
    sleep "$DURATION"
    after=0; per=()
    for url in "${urls[@]}"; do n=$(polls "$url"); after=$((after + n)); per+=("$n"); done
    t1=$(python3 -c 'import time; print(time.time())')
    failed=0; for url in "${urls[@]}"; do failed=$((failed + $(metric "$url" 'shipgate_tracking_polls_total{carrier="delhivery",outcome="failed"}'))); done
    stop_all
    rate=$(python3 -c "print(f'{($after - $before) / ($t1 - $t0):.0f}')")
    echo "$procs $booked $((after - before)) $rate $failed ${per[*]}" >> "$WORK/results"
    echo "== $procs process(es): $booked shipments, $((after - before)) polls in ${DURATION}s = $rate polls/s (failed: $failed; per process total: ${per[*]})" >&2
done

echo
echo "| gateways | shipments | polls | polls/s | failed |"
echo "|---|---|---|---|---|"
while read -r procs booked n rate failed _; do
    echo "| $procs | $booked | $n | $rate | $failed |"
done < "$WORK/results"
echo
echo "carrier latency ${LATENCY_MS} ms, concurrency $CONCURRENCY per process, PostgreSQL, release build"
