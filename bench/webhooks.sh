#!/usr/bin/env bash
# Benchmark for issue 4: carrier tracking pushes ingested end to end — HTTP in,
# authenticated, stored in the inbox, normalised, events stored with the shipment's
# status moved, outbound webhooks written to the outbox — on SQLite and on PostgreSQL.
#
# The tenant has one outbound webhook endpoint subscribed to every event type, so every
# new event writes a message and a delivery row (in the event's transaction). Delivery
# itself is not measured: the gateway runs with SHIPGATE_OMS_WEBHOOKS__ENABLED=false
# (outbox written, not sent), so the numbers are those of ingestion.
#
# For each engine and push kind, shipments are booked in the sandbox first, then wrk
# pushes new scans for them (bench/webhooks.lua) for DURATION; the clock stops when the
# background processor has stored the last accepted push and the outbox holds a delivery
# for every new event. Reported per run: pushes/s, new events/s and outbox rows/s over
# that whole time (so work queued in the inbox is not counted as done),
# wrk's latency, and the processing lag. Push kinds:
#   delhivery  one scan per push (Delhivery's scan push)
#   shiprocket SCANS new scans per push (Shiprocket's push carries several)
#
# PostgreSQL runs with its defaults (fsync and synchronous_commit on); SQLite in WAL mode
# with synchronous=NORMAL, as the gateway configures it.
#
# Usage: bench/webhooks.sh          (DURATION=15s CONNECTIONS=64 SHIPMENTS=2000 SCANS=5)
#        BENCH_BIN=path/to/shipgate measures that binary instead of building this tree
#        ENGINES="sqlite" bench/webhooks.sh
# Needs: wrk, curl, jq, python3, and PostgreSQL server binaries for the postgres runs.
# Not part of the test suite: numbers are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SHIPMENTS=${SHIPMENTS:-2000}
SCANS=${SCANS:-5}
ENGINES=${ENGINES:-"sqlite postgres"}
KINDS=${KINDS:-"delhivery shiprocket"}
KEY=sg_bench_key_0123456789abcdef

for tool in wrk curl jq python3; do
    command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done
if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN    # e.g. target/profiling/shipgate, to record a profile with perf
else
    cargo build --release --quiet
    BIN=target/release/shipgate
fi

WORK=$(mktemp -d /tmp/shipgate-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GW_PID=
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$WORK"
    pg() { runuser -u postgres -- "$@"; }
fi
cleanup() {
    [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
    if [ -f "$WORK/pg/postmaster.pid" ]; then
        pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PG_URL=
start_postgres() {
    [ -n "$PG_BIN" ] || { echo "no PostgreSQL server binaries; set ENGINES=sqlite" >&2; exit 1; }
    local port; port=$(free_port)
    pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 >/dev/null
    pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
        -o "-p $port -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    PG_URL="postgres://postgres@127.0.0.1:$port"
}

# Sum of a Prometheus series (all label sets matching the filter) from /metrics.
metric() {
    local url=$1 pattern=$2
    curl -s "$url/metrics" | awk -v p="$pattern" 'index($0, p) == 1 { s += $NF } END { printf "%d\n", s }'
}

now_ms() { python3 -c 'import time; print(int(time.time()*1000))'; }

run_case() {
    local engine=$1 kind=$2
    local name="$engine-$kind" port db
    port=$(free_port)
    case $engine in
        sqlite) db="sqlite://$WORK/$name.db" ;;
        postgres)
            pg "$PG_BIN/psql" -h "$WORK" -p "${PG_URL##*:}" -U postgres -qc "CREATE DATABASE \"bench_${kind}\"" >/dev/null
            db="$PG_URL/bench_${kind}" ;;
    esac
    env SHIPGATE_LISTEN=127.0.0.1:$port SHIPGATE_DATABASE_URL="$db" SHIPGATE_BOOTSTRAP_API_KEY=$KEY \
        SHIPGATE_LIMITS__ENABLED=false SHIPGATE_OMS_WEBHOOKS__ENABLED=false RUST_LOG=error \
        "$BIN" 2>"$WORK/$name.log" &
    GW_PID=$!
    local url="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done

    # An OMS endpoint for every event type (never called: delivery is off in this process).
    curl -sf "$url/v1/webhook-endpoints" -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \
        -d '{"url": "http://127.0.0.1:9/bench"}' >/dev/null

    # Shipments to push for, booked through the API (sandbox carriers).
    seq "$SHIPMENTS" | xargs -P 8 -I{} sh -c \
        "jq -c '.order_ref = \"BENCH-{}\" | .carrier = \"$kind\"' examples/shipment.json \
         | curl -s $url/v1/shipments -H 'Authorization: Bearer $KEY' -H 'content-type: application/json' -d @- \
         | jq -r '.awb // empty'" > "$WORK/$name.awbs"
    local booked; booked=$(wc -l < "$WORK/$name.awbs")

    # Warm-up, then the measured run.
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s bench/webhooks.lua "$url" \
        -- "$kind" "$WORK/$name.awbs" "$SCANS" "$THREADS" 0 >/dev/null
    local pushes_before events_before outbox_before t0 t_wrk t1 pushes events outbox
    while [ "$(metric "$url" 'shipgate_webhook_pushes_processed_total')" -lt \
            "$(metric "$url" 'shipgate_webhook_pushes_total{carrier="'"$kind"'",outcome="accepted"}')" ]; do sleep 0.05; done
    pushes_before=$(metric "$url" 'shipgate_webhook_pushes_processed_total')
    events_before=$(metric "$url" 'shipgate_webhook_events_added_total')
    outbox_before=$(metric "$url" 'shipgate_oms_webhook_deliveries_queued_total')
    t0=$(now_ms)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/webhooks.lua "$url" \
        -- "$kind" "$WORK/$name.awbs" "$SCANS" "$THREADS" 1 > "$WORK/$name.wrk"
    t_wrk=$(now_ms)
    # The clock stops when every accepted push has been processed.
    while [ "$(metric "$url" 'shipgate_webhook_pushes_processed_total')" -lt \
            "$(metric "$url" 'shipgate_webhook_pushes_total{carrier="'"$kind"'",outcome="accepted"}')" ]; do sleep 0.05; done
    # … and every new event has its webhook in the outbox (one tracking.updated each;
    # they commit with the events, so this holds as soon as the processing does).
    events=$(( $(metric "$url" 'shipgate_webhook_events_added_total') - events_before ))
    while [ $(( $(metric "$url" 'shipgate_oms_webhook_deliveries_queued_total') - outbox_before )) -lt "$events" ]; do
        [ $(( $(now_ms) - t_wrk )) -lt 60000 ] || { echo "outbox short of $events rows after 60 s" >&2; break; }
        sleep 0.05
    done
    t1=$(now_ms)
    pushes=$(( $(metric "$url" 'shipgate_webhook_pushes_processed_total') - pushes_before ))
    outbox=$(( $(metric "$url" 'shipgate_oms_webhook_deliveries_queued_total') - outbox_before ))
    curl -s "$url/metrics" > "$WORK/$name.metrics"
    kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=
    echo "$name $booked $pushes $events $((t1 - t0)) $((t_wrk - t0)) $outbox" >> "$WORK/results"
    echo "== $name: $booked shipments, $pushes pushes, $events new events, $outbox outbox rows in $((t1 - t0)) ms" \
         "(wrk $((t_wrk - t0)) ms, drain $((t1 - t_wrk)) ms)" >&2
    grep -E "Requests/sec|non-200|Socket errors|50%|99%" "$WORK/$name.wrk" >&2 || true
}

for engine in $ENGINES; do
    [ "$engine" = postgres ] && start_postgres
    for kind in $KINDS; do
        run_case "$engine" "$kind"
    done
done

python3 - "$WORK" <<'PY'
import re, sys
work = sys.argv[1]
def pct(text, p):
    m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", text, re.M)
    if not m:
        return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
def lag(name, q):
    text = open(f"{work}/{name}.metrics").read()
    buckets = sorted((float(le), float(c)) for le, c in re.findall(
        r'shipgate_webhook_processing_lag_seconds_bucket\{le="([^"+]+)"\} ([\d.e+]+)', text))
    total = buckets[-1][1] if buckets else 0
    for le, c in buckets:
        if total and c >= q * total:
            return le * 1000
    return float("nan")
print("\n| run | shipments | pushes/s | new events/s | outbox rows/s | HTTP p50 ms | HTTP p99 ms | lag p50 ≤ ms | lag p99 ≤ ms |")
print("|---|---|---|---|---|---|---|---|---|")
for line in open(f"{work}/results"):
    name, booked, pushes, events, total_ms, wrk_ms, outbox = line.split()
    secs = int(total_ms) / 1000
    w = open(f"{work}/{name}.wrk").read()
    print(f"| {name} | {booked} | {int(pushes)/secs:.0f} | {int(events)/secs:.0f} | {int(outbox)/secs:.0f} | "
          f"{pct(w, 50):.2f} | {pct(w, 99):.2f} | {lag(name, 0.5):.0f} | {lag(name, 0.99):.0f} |")
print("\nper second over wrk's run plus the time the processor needed to drain the inbox afterwards")
PY
