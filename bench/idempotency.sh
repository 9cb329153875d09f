#!/usr/bin/env bash
# Benchmark for issue 3: keyed shipment creation through Redis (idempotency + rate limits
# on) against the same run with both off, on the sandbox (Delhivery simulator over real
# HTTP). For each connection count and round it starts a fresh gateway (fresh SQLite
# database) per case, warms it up, and measures with wrk; the two cases alternate, so a
# change in the machine's load hits both. It prints, per connection count:
#   - requests/s and wrk's p50/p99 per round, and the median over rounds, on vs off;
#   - CPU per request (gateway process and redis-server, from /proc), on vs off;
#   - the layer's own time per request from the gateway's histograms: the mean of
#     (rate-limit check + idempotency begin + complete) per request, and each step's
#     p50/p99 (bucket upper bounds). For keyed writes with shared limits the rate-limit
#     charge happens inside the `begin` script, so `begin` includes it.
#
# Usage: bench/idempotency.sh    env: DURATION=20s CONNECTIONS="2 16" ROUNDS=3
#        BENCH_BIN=path/to/shipgate measures that binary instead of building this tree
#        (to compare with an earlier build under the same script).
# Needs: wrk, redis-server, python3, jq, curl. Not part of the test suite: timings are
# reported, never asserted. The machine's load average is printed: compare runs only at
# similar, low load.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-"2 16"}
ROUNDS=${ROUNDS:-3}
KEY=sg_bench_key_0123456789abcdef

for tool in wrk redis-server python3 curl jq; do
    command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done
if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
else
    cargo build --release --quiet
    BIN=target/release/shipgate
fi

WORK=$(mktemp -d /tmp/shipgate-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
for _ in $(seq 50); do [ -s "$WORK/redis.pid" ] && break; sleep 0.1; done
GW_PID=
cleanup() {
    [ -n "$GW_PID" ] && { kill "$GW_PID" 2>/dev/null; wait "$GW_PID" 2>/dev/null; } || true
    if [ -f "$WORK/redis.pid" ]; then
        local pid; pid=$(cat "$WORK/redis.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

jq '.order_ref = "__REF__" | .carrier = "delhivery"' examples/shipment.json > "$WORK/body.json"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run_case NAME MODE [ENV=VALUE...]: one fresh gateway, warm-up, one measured wrk run.
run_case() {
    local name=$1 mode=$2; shift 2
    local port; port=$(free_port)
    rm -f "$WORK"/gw.db*
    env SHIPGATE_LISTEN=127.0.0.1:$port SHIPGATE_DATABASE_URL="sqlite://$WORK/gw.db" \
        SHIPGATE_REDIS_URL="redis://127.0.0.1:$RPORT" SHIPGATE_BOOTSTRAP_API_KEY=$KEY RUST_LOG=error \
        "$@" "$BIN" 2>"$WORK/$name.log" &
    GW_PID=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    wrk -t2 -c"$CONNECTIONS_NOW" -d3s -s bench/create.lua "http://127.0.0.1:$port" -- "$mode" $KEY "$WORK/body.json" >/dev/null
    curl -s "http://127.0.0.1:$port/metrics" > "$WORK/$name.metrics.before"
    local g0 r0 g1 r1
    g0=$(cpu_ticks "$GW_PID"); r0=$(cpu_ticks "$(cat "$WORK/redis.pid")")
    wrk -t2 -c"$CONNECTIONS_NOW" -d"$DURATION" --latency -s bench/create.lua "http://127.0.0.1:$port" \
        -- "$mode" $KEY "$WORK/body.json" > "$WORK/$name.wrk"
    g1=$(cpu_ticks "$GW_PID"); r1=$(cpu_ticks "$(cat "$WORK/redis.pid")")
    echo "$((g1 - g0)) $((r1 - r0)) $(getconf CLK_TCK)" > "$WORK/$name.cpu"
    curl -s "http://127.0.0.1:$port/metrics" > "$WORK/$name.metrics"
    kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in $CONNECTIONS; do
    CONNECTIONS_NOW=$c
    for r in $(seq "$ROUNDS"); do
        run_case "on-c$c-r$r" keyed SHIPGATE_LIMITS__WRITES__PER_SECOND=1000000 SHIPGATE_LIMITS__WRITES__BURST=1000000
        run_case "off-c$c-r$r" plain SHIPGATE_LIMITS__ENABLED=false
        echo "  done: $c connections, round $r (load $(cut -d' ' -f1 /proc/loadavg))"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK" "$CONNECTIONS" "$ROUNDS" <<'PY'
import re, statistics, sys
work, conns, rounds = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])

def wrk(name):
    t = open(f"{work}/{name}.wrk").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    n = int(re.search(r"(\d+) requests in", t).group(1))
    bad = int(re.search(r"non-201 responses: (\d+)", t).group(1))
    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", t, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    return dict(rps=rps, p50=pct(50), p99=pct(99), n=n, bad=bad)

def cpu(name, n):
    g, r, hz = map(int, open(f"{work}/{name}.cpu").read().split())
    return g / hz / n * 1e6, r / hz / n * 1e6  # µs per request

STEPS = {
    "rate-limit check": (r'shipgate_ratelimit_check_seconds', ''),
    "idempotency begin": (r'shipgate_idempotency_store_seconds', 'step="begin"'),
    "idempotency complete": (r'shipgate_idempotency_store_seconds', 'step="complete"'),
}

def histograms(path):
    text = open(path).read()
    out = {}
    for step, (metric, label) in STEPS.items():
        buckets = {}
        for labels, value in re.findall(rf'^{metric}_bucket\{{([^}}]*)\}} ([\d.e+]+)', text, re.M):
            if label and label not in labels:
                continue
            le = re.search(r'le="([^"]+)"', labels).group(1)
            buckets[float("inf") if le == "+Inf" else float(le)] = float(value)
        def scalar(suffix):
            for labels, value in re.findall(rf'^{metric}_{suffix}(?:\{{([^}}]*)\}})? ([\d.e+]+)', text, re.M):
                if not label or label in labels:
                    return float(value)
            return 0.0
        out[step] = (buckets, scalar("sum"), scalar("count"))
    return out

def layer(name, requests):
    # The measured window only: counts after minus counts before (the warm-up).
    after, before = histograms(f"{work}/{name}.metrics"), histograms(f"{work}/{name}.metrics.before")
    total_s, steps = 0.0, {}
    for step in STEPS:
        (ba, sa, ca), (bb, sb, cb) = after[step], before[step]
        total_s += sa - sb
        count = ca - cb
        diff = sorted((le, c - bb.get(le, 0.0)) for le, c in ba.items())
        def q(p):
            for le, c in diff:
                if count and c >= p * count:
                    return le * 1000
            return float("nan")
        steps[step] = (q(0.5), q(0.99), int(count))
    return total_s / requests * 1000, steps

for c in conns:
    print(f"\n### {c} connections, {rounds} rounds\n")
    print("| round | on req/s | on p50 ms | on p99 ms | off req/s | off p50 ms | off p99 ms | added p50 ms | added p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = []
    for r in range(1, rounds + 1):
        on, off = wrk(f"on-c{c}-r{r}"), wrk(f"off-c{c}-r{r}")
        rows.append((on, off))
        print(f"| {r} | {on['rps']:.0f} | {on['p50']:.2f} | {on['p99']:.2f} | {off['rps']:.0f} | {off['p50']:.2f} | {off['p99']:.2f} | {on['p50']-off['p50']:+.2f} | {on['p99']-off['p99']:+.2f} |")
        if on["bad"] or off["bad"]:
            print(f"|   | non-201: {on['bad']} |  |  | {off['bad']} |")
    med = lambda side, k: statistics.median(x[side][k] for x in rows)
    print(f"| median | {med(0,'rps'):.0f} | {med(0,'p50'):.2f} | {med(0,'p99'):.2f} | {med(1,'rps'):.0f} | {med(1,'p50'):.2f} | {med(1,'p99'):.2f} | {med(0,'p50')-med(1,'p50'):+.2f} | {med(0,'p99')-med(1,'p99'):+.2f} |")
    on_cpu = [cpu(f"on-c{c}-r{r}", rows[r-1][0]["n"]) for r in range(1, rounds + 1)]
    off_cpu = [cpu(f"off-c{c}-r{r}", rows[r-1][1]["n"]) for r in range(1, rounds + 1)]
    m = lambda xs, i: statistics.median(x[i] for x in xs)
    print(f"\nCPU per request (median): on gateway {m(on_cpu,0):.0f} µs + redis {m(on_cpu,1):.0f} µs; "
          f"off gateway {m(off_cpu,0):.0f} µs + redis {m(off_cpu,1):.0f} µs")
    print("layer's own time per request (gateway histograms, layers-on runs):")
    for r in range(1, rounds + 1):
        mean_ms, steps = layer(f"on-c{c}-r{r}", rows[r-1][0]["n"])
        parts = "; ".join(f"{s} p50 <= {p50:.2f} p99 <= {p99:.2f} ({n})" for s, (p50, p99, n) in steps.items() if n)
        print(f"  round {r}: mean {mean_ms:.3f} ms/request; {parts}")
PY
