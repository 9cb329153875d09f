#!/usr/bin/env bash
# Benchmark for issue 21: bulk booking (`POST /v1/batches`) through a crash.
#
# A sandbox gateway on a file SQLite database takes one batch of ITEMS shipments, mixed
# across carriers (delhivery, shiprocket, auto: every third each). Once about half are
# booked the gateway is killed with SIGKILL, started again on the same database, and the
# batch is followed to completion. Reported: items/s before the kill, after the restart and
# overall (wall clock from the POST to `completed`, the restart included), and the
# "booked once" check read straight from the database: every order reference has exactly
# one shipment, and every item points at its order's shipment.
#
# Usage: bench/batch.sh   (ITEMS=5000 CONCURRENCY=8 BIN=target/release/shipgate)
# BIN unset: builds and uses the release binary. Needs: curl, jq, python3.
# Numbers are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS=${ITEMS:-5000}
CONCURRENCY=${CONCURRENCY:-8}
KEY=sg_bench_key_0123456789abcdef

for tool in curl jq python3; do
    command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=target/release/shipgate
fi

WORK=$(mktemp -d /tmp/shipgate-bench-batch.XXXXXX)
GW_PID=
cleanup() {
    [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
DB="sqlite://$WORK/shipgate.db"
now() { python3 -c 'import time; print(time.time())'; }

start_gateway() {
    env -i PATH="$PATH" SHIPGATE_LISTEN="127.0.0.1:$PORT" SHIPGATE_DATABASE_URL="$DB" \
        SHIPGATE_BOOTSTRAP_API_KEY="$KEY" SHIPGATE_BATCHES__CONCURRENCY="$CONCURRENCY" \
        SHIPGATE_BATCHES__LEASE_MS=3000 SHIPGATE_IDEMPOTENCY__LOCK_TTL_SECS=5 RUST_LOG=warn \
        "$BIN" >>"$WORK/gateway.log" 2>&1 &
    GW_PID=$!
    for _ in $(seq 300); do curl -sf "$URL/healthz" >/dev/null && return 0; sleep 0.1; done
    echo "gateway did not start; its log:" >&2; cat "$WORK/gateway.log" >&2; exit 1
}
batch() { curl -sf -H "authorization: Bearer $KEY" "$URL/v1/batches/$1"; }

# The batch: a fresh run prefix so the numbers never meet an earlier run's orders.
RUN=$(python3 -c 'import uuid; print(uuid.uuid4().hex[:6])')
python3 - "$ITEMS" "$RUN" >"$WORK/batch.json" <<'PY'
import json, sys
n, run = int(sys.argv[1]), sys.argv[2]
carriers = ["delhivery", "shiprocket", "auto"]
items = []
for i in range(n):
    items.append({
        "order_ref": f"BB-{run}-{i:05d}",
        "carrier": carriers[i % 3],
        "from": {"name": "Shipgate Warehouse", "phone": "9000000001",
                 "line1": "Plot 4, Industrial Area", "city": "New Delhi", "state": "Delhi",
                 "postal_code": "110020"},
        "to": {"name": "Asha Rao", "phone": "+91 98765 43210", "line1": "12 MG Road",
               "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001"},
        "parcels": [{"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
                     "declared_value": {"amount": 49900, "currency": "INR"},
                     "description": "Cotton kurta"}],
        "payment": {"mode": "prepaid"},
    })
print(json.dumps({"items": items}))
PY

start_gateway
T0=$(now)
ID=$(curl -sf -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
    --data-binary @"$WORK/batch.json" "$URL/v1/batches" | jq -r .id)
echo "batch $ID: $ITEMS items" >&2
HALF=$((ITEMS / 2))
while :; do
    BOOKED=$(batch "$ID" | jq '.counts.booked')
    [ "$BOOKED" -ge "$HALF" ] && break
    sleep 0.2
done
T_KILL=$(now)
BEFORE=$(batch "$ID" | jq '.counts.booked + .counts.pending + .counts.failed')
kill -9 "$GW_PID"; wait "$GW_PID" 2>/dev/null || true
echo "killed with $BEFORE items settled" >&2

start_gateway
T_UP=$(now)
while :; do
    B=$(batch "$ID")
    [ "$(echo "$B" | jq -r .state)" = completed ] && break
    sleep 0.5
done
T_END=$(now)
echo "$B" | jq -c .counts >&2

python3 - "$WORK/shipgate.db" "$ID" "$RUN" "$ITEMS" "$BEFORE" "$T0" "$T_KILL" "$T_UP" "$T_END" "$B" "$BIN" "$CONCURRENCY" <<'PY'
import json, sqlite3, sys
db, bid, run, n, before = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
t0, tkill, tup, tend = map(float, sys.argv[6:10])
batch, binary, conc = json.loads(sys.argv[10]), sys.argv[11], sys.argv[12]
c = sqlite3.connect(db)
per_order = c.execute(
    "SELECT order_ref, COUNT(*) FROM shipments WHERE order_ref LIKE ? GROUP BY order_ref",
    (f"BB-{run}-%",)).fetchall()
twice = [o for o, k in per_order if k != 1]
mismatch = c.execute(
    "SELECT COUNT(*) FROM batch_items i JOIN shipments s ON s.id = i.shipment_id "
    "WHERE i.batch_id = ? AND (s.order_ref != i.order_ref OR s.awb IS NOT i.awb)", (bid,)).fetchone()[0]
counts = batch["counts"]
ok = len(per_order) == n and not twice and mismatch == 0 and counts["booked"] == n
print(f"| binary | items | concurrency | before kill, items/s | after restart, items/s | overall, items/s | booked | booked once |")
print(f"|---|---|---|---|---|---|---|---|")
print(f"| `{binary}` | {n} | {conc} | {before / (tkill - t0):.0f} | {(n - before) / (tend - tup):.0f} "
      f"| {n / (tend - t0):.0f} ({tend - t0:.1f} s, restart included) | {counts['booked']} "
      f"| {'yes' if ok else 'NO'}: {len(per_order)} orders, {len(twice)} with more than one shipment, "
      f"{mismatch} items not matching their shipment |")
PY
