#!/usr/bin/env bash
# Benchmark for issue 5: POST /v1/rates fanning out to the Delhivery and Shiprocket
# simulators over real HTTP (sandbox mode, release build), with the rate cache off (every
# request asks both carriers: Delhivery's pincode and two charges calls, Shiprocket's
# courier serviceability call; serviceability answers cached) and on (identical requests
# answered from the cache). Prints requests/s and wrk's p50/p99 per run.
#
# Usage: bench/rates.sh            (DURATION=20s CONNECTIONS=16 by default)
# Needs: wrk, jq, curl, python3. Not part of the test suite: timings are reported, never
# asserted. Tenant rate limits are off: this measures the fan-out, not the limiter.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
KEY=sg_bench_key_0123456789abcdef

for tool in wrk jq curl python3; do
    command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done
cargo build --release --quiet
BIN=target/release/shipgate

WORK=$(mktemp -d /tmp/shipgate-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GW_PID=
cleanup() {
    [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Prepaid, both carriers (COD would be the same work).
jq 'del(.order_ref, .carrier, .label_format) | .payment = {"mode": "prepaid"}' \
    examples/shipment.json > "$WORK/body.json"

run_case() {
    local name=$1; shift
    local port; port=$(free_port)
    env SHIPGATE_LISTEN=127.0.0.1:$port SHIPGATE_DATABASE_URL="sqlite://$WORK/$name.db" \
        SHIPGATE_BOOTSTRAP_API_KEY=$KEY SHIPGATE_LIMITS__ENABLED=false RUST_LOG=error \
        "$@" "$BIN" 2>"$WORK/$name.log" &
    GW_PID=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    curl -sf "http://127.0.0.1:$port/v1/rates" -H "authorization: Bearer $KEY" \
        -H 'content-type: application/json' -d @"$WORK/body.json" \
        | jq -e '(.quotes | map(.carrier) | unique) == ["delhivery", "shiprocket"] and (.errors | length) == 0' >/dev/null \
        || { echo "rates do not come from both simulators" >&2; exit 1; }
    wrk -t2 -c"$CONNECTIONS" -d3s -s bench/rates.lua "http://127.0.0.1:$port" -- $KEY "$WORK/body.json" >/dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/rates.lua "http://127.0.0.1:$port" \
        -- $KEY "$WORK/body.json" > "$WORK/$name.wrk"
    kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=
    echo "== $name"; cat "$WORK/$name.wrk"
}

run_case cache_off SHIPGATE_RATES__CACHE_TTL_MS=0
run_case cache_on SHIPGATE_RATES__CACHE_TTL_MS=30000

python3 - "$WORK" <<'PY'
import re, sys
work = sys.argv[1]
def wrk(name):
    t = open(f"{work}/{name}.wrk").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", t, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    return rps, pct(50), pct(99)
print("\n| run | req/s | p50 ms | p99 ms |\n|---|---|---|---|")
for name, label in [("cache_off", "fan-out to Delhivery + Shiprocket simulators, rate cache off"),
                    ("cache_on", "same request, rate cache on (hits)")]:
    rps, p50, p99 = wrk(name)
    print(f"| {label} | {rps:.0f} | {p50:.2f} | {p99:.2f} |")
PY
