#!/usr/bin/env bash
# Benchmark for issue 5: POST /v1/rates priced from rate cards only (no carrier call).
# Target: ≥ 5,000 requests/s with p99 < 10 ms on the 2-core machine.
#
# Starts the release binary on SQLite with rate limits off, uploads CARDS rate cards for
# the demo tenant (so every request prices that many cards), then runs wrk against
# POST /v1/rates with `"carriers": ["ratecard"]`, rotating over lanes of every zone,
# slab boundaries, volumetric parcels and COD (bench/ratecards.lua). wrk and the gateway
# share the machine's two cores, as they would on a developer's machine.
#
# Usage: bench/ratecards.sh            (DURATION=20s CONNECTIONS=32 THREADS=1 CARDS=3)
# Needs: wrk, curl, python3. Not part of the test suite: numbers are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
CARDS=${CARDS:-3}
KEY=sg_bench_key_0123456789abcdef

for tool in wrk curl python3; do
    command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done
cargo build --release --quiet
BIN=target/release/shipgate

WORK=$(mktemp -d /tmp/shipgate-bench.XXXXXX)
GW_PID=
cleanup() {
    [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
env SHIPGATE_LISTEN=127.0.0.1:$port SHIPGATE_DATABASE_URL="sqlite://$WORK/bench.db" \
    SHIPGATE_BOOTSTRAP_API_KEY=$KEY SHIPGATE_LIMITS__ENABLED=false RUST_LOG=error \
    "$BIN" 2>"$WORK/gateway.log" &
GW_PID=$!
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done

for i in $(seq "$CARDS"); do
    curl -sf -X PUT "$url/v1/rate-cards/bench-$i" -H "Authorization: Bearer $KEY" \
        -H 'content-type: application/json' -d @- >/dev/null <<JSON
{
  "name": "Bench card $i", "volumetric_divisor": 5000, "first_slab_g": 500, "additional_slab_g": 500,
  "zones": {
    "within_city":    {"first_slab": $((3000 + i)), "additional_slab": 2500, "transit_days": 1},
    "within_state":   {"first_slab": $((3500 + i)), "additional_slab": 3000, "transit_days": 2},
    "metro_to_metro": {"first_slab": $((4200 + i)), "additional_slab": 4000, "transit_days": 3},
    "rest_of_india":  {"first_slab": $((4800 + i)), "additional_slab": 4500, "transit_days": 4},
    "special":        {"first_slab": $((6500 + i)), "additional_slab": 6000, "transit_days": 7}
  },
  "cod": {"percent": "2", "minimum": 4000}, "fuel_surcharge_percent": "12.5", "gst_percent": "18"
}
JSON
done

wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s bench/ratecards.lua "$url" -- "$KEY" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/ratecards.lua "$url" -- "$KEY" \
    | tee "$WORK/wrk.txt"
errors=$(grep -c '^status' "$WORK/wrk.txt" || true)
echo
echo "rate cards per request: $CARDS; connections: $CONNECTIONS; non-200 answers: $errors"
