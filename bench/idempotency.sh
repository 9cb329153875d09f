#!/usr/bin/env bash
# Benchmark for issue 3: keyed shipment creation through Redis (idempotency + rate limits
# on) against the same run with both off, on the sandbox (Delhivery simulator over real
# HTTP). Prints requests/s and wrk's p50/p99, plus the time the idempotency layer itself
# spends per request (its Redis round trips), read from the gateway's own histograms.
#
# Usage: bench/idempotency.sh            (DURATION=20s CONNECTIONS=16 by default)
# Needs: wrk, redis-server, python3. Not part of the test suite: timings are reported,
# never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
KEY=sg_bench_key_0123456789abcdef

for tool in wrk redis-server python3 curl; do
    command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done
cargo build --release --quiet
BIN=target/release/shipgate

WORK=$(mktemp -d /tmp/shipgate-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
GW_PID=
cleanup() {
    [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
    [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

jq '.order_ref = "__REF__" | .carrier = "delhivery"' examples/shipment.json > "$WORK/body.json"

run_case() {
    local name=$1 mode=$2; shift 2
    local port; port=$(free_port)
    env SHIPGATE_LISTEN=127.0.0.1:$port SHIPGATE_DATABASE_URL="sqlite://$WORK/$name.db" \
        SHIPGATE_REDIS_URL="redis://127.0.0.1:$RPORT" SHIPGATE_BOOTSTRAP_API_KEY=$KEY RUST_LOG=error \
        "$@" "$BIN" 2>"$WORK/$name.log" &
    GW_PID=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    wrk -t2 -c"$CONNECTIONS" -d3s -s bench/create.lua "http://127.0.0.1:$port" -- "$mode" $KEY "$WORK/body.json" >/dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/create.lua "http://127.0.0.1:$port" \
        -- "$mode" $KEY "$WORK/body.json" > "$WORK/$name.wrk"
    curl -s "http://127.0.0.1:$port/metrics" > "$WORK/$name.metrics"
    kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=
    echo "== $name"; cat "$WORK/$name.wrk"
}

run_case layers_on keyed SHIPGATE_LIMITS__WRITES__PER_SECOND=1000000 SHIPGATE_LIMITS__WRITES__BURST=1000000
run_case layers_off plain SHIPGATE_LIMITS__ENABLED=false

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
def layer(name):
    # Per request: begin + complete; quantiles from the cumulative histogram buckets.
    text = open(f"{work}/{name}.metrics").read()
    out = {}
    series = {
        "rate limit check": r'shipgate_ratelimit_check_seconds_bucket\{le="([^"+]+)"\} ([\d.e+]+)',
        "idempotency begin": r'shipgate_idempotency_store_seconds_bucket\{[^}]*step="begin"[^}]*le="([^"+]+)"\} ([\d.e+]+)',
        "idempotency complete": r'shipgate_idempotency_store_seconds_bucket\{[^}]*step="complete"[^}]*le="([^"+]+)"\} ([\d.e+]+)',
    }
    for step, pattern in series.items():
        buckets = [(float(le), float(c)) for le, c in re.findall(pattern, text)]
        buckets.sort()
        total = buckets[-1][1] if buckets else 0
        def q(p):
            for le, c in buckets:
                if total and c >= p * total:
                    return le * 1000
            return float("nan")
        out[step] = (q(0.5), q(0.99), int(total))
    return out
on, off = wrk("layers_on"), wrk("layers_off")
print("\n| run | req/s | p50 ms | p99 ms |\n|---|---|---|---|")
print(f"| idempotency (Redis) + rate limits on, keyed | {on[0]:.0f} | {on[1]:.2f} | {on[2]:.2f} |")
print(f"| both off, no key | {off[0]:.0f} | {off[1]:.2f} | {off[2]:.2f} |")
print(f"| difference | {on[0]-off[0]:+.0f} | {on[1]-off[1]:+.2f} | {on[2]-off[2]:+.2f} |")
l = layer("layers_on")
print("\ntime each layer step adds per request, in the layers-on run (histogram bucket upper bounds):")
for step, (p50, p99, n) in l.items():
    print(f"  {step}: p50 <= {p50:.3f} ms, p99 <= {p99:.3f} ms over {n} requests")
PY
