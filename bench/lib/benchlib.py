"""What the benchmark scripts share (bench/run, bench/scaleout): processes started and
stopped together, PostgreSQL, Redis and the carrier simulators brought up in a work
directory, the gateway's environment, HTTP and Prometheus helpers, wrk, and a sampler of a
process's peak RSS and CPU. Standard library only, like the scripts themselves.
"""

import concurrent.futures
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY = "sg_bench_key_0123456789abcdef"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=30):
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers.setdefault("content-type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_healthy(url, proc, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            sys.exit(f"bench: {what} exited with {proc.returncode} before answering (log in the work dir)")
        try:
            if http("GET", url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"bench: {what} did not answer {url} within {timeout} s")


class Processes:
    """Everything started, stopped in reverse order on exit."""

    def __init__(self, work):
        self.work = work
        self.procs = []
        self.cleanups = []

    def start(self, name, argv, env=None):
        logf = open(os.path.join(self.work, f"{name}.log"), "wb")
        proc = subprocess.Popen(argv, env={**os.environ, **(env or {})}, stdout=logf, stderr=logf,
                                cwd=ROOT, start_new_session=True)
        self.procs.append((name, proc))
        return proc

    def stop_all(self):
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:  # cleanup must not hide the real error
                log(f"cleanup: {e}")


class Sampler(threading.Thread):
    """Peak RSS and CPU time of one process over a run, read from /proc. Also the peak of
    its anonymous memory (`RssAnon`: heap and stacks), which leaves out the pages of the
    binary's own code that RSS counts as they are touched (22–30 MB under load, shared
    with every other process running the same binary; see src/process_memory.rs)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.peak_anon_kb = 0
        self.stop_event = threading.Event()
        self.cpu_start = self.cpu_ticks()
        self.t_start = time.time()

    def cpu_ticks(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def memory_kb(self):
        """(VmRSS, RssAnon) in kB."""
        rss = anon = 0
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("RssAnon:"):
                    anon = int(line.split()[1])
        return rss, anon

    def sample(self):
        rss, anon = self.memory_kb()
        self.peak_kb = max(self.peak_kb, rss)
        self.peak_anon_kb = max(self.peak_anon_kb, anon)

    def run(self):
        while not self.stop_event.is_set():
            try:
                self.sample()
            except OSError:
                return
            self.stop_event.wait(0.2)

    def finish(self):
        """(peak RSS MB, CPU % of one core); `peak_anon_kb` is set too."""
        self.stop_event.set()
        self.join()
        self.sample()
        wall = time.time() - self.t_start
        cpu = (self.cpu_ticks() - self.cpu_start) / CLK_TCK
        return self.peak_kb / 1024, 100 * cpu / wall


class MachineCpu:
    """Share of the whole machine's CPU time spent busy between start and `finish`, from
    /proc/stat (100 % = every core busy)."""

    def __init__(self):
        self.start = self.read()

    @staticmethod
    def read():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields), idle

    def finish(self):
        total, idle = self.read()
        dt = total - self.start[0]
        return 100 * (dt - (idle - self.start[1])) / dt if dt else 0.0


class CpuShares:
    """CPU time of groups of processes between start and `finish`, in % of one core:
    `pids` groups ({name: pids}), every process whose command is `postgres` (the server
    and its backends) or `redis-server`, the children this script has waited for (wrk,
    psql) and this script itself (with any threads it runs, such as a receiver).
    A process first seen at the end started during the run (a PostgreSQL backend for a
    new pooled connection): all its time counts. One that ended during the run is missed
    (an autovacuum worker)."""

    def __init__(self, pids):
        self.pids = {name: set(p) for name, p in pids.items()}
        self.t0 = time.time()
        self.start = self.read()

    def read(self):
        ticks = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    head, tail = f.read().rsplit(")", 1)
            except OSError:
                continue
            comm, fields = head.split("(", 1)[1], tail.split()
            ticks[int(entry)] = (comm, int(fields[11]) + int(fields[12]))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        me = os.times()
        return ticks, children.ru_utime + children.ru_stime, me.user + me.system

    def finish(self):
        ticks, children, me = self.read()
        wall = time.time() - self.t0
        start_ticks, start_children, start_me = self.start

        def used(match):
            return sum(t - start_ticks.get(pid, (comm, 0))[1] for pid, (comm, t) in ticks.items()
                       if match(pid, comm)) / CLK_TCK

        shares = {name: used(lambda pid, _, p=pids: pid in p) for name, pids in self.pids.items()}
        shares["postgresql"] = used(lambda _, comm: comm == "postgres")
        shares["redis"] = used(lambda _, comm: comm.startswith("redis-server"))
        shares["wrk"] = children - start_children
        shares["bench"] = me - start_me
        return {name: round(100 * cpu / wall) for name, cpu in shares.items()}


def metric(url, prefix):
    """Sum of the Prometheus series starting with `prefix`."""
    _, body = http("GET", f"{url}/metrics")
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith(prefix):
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def start_postgres(procs, work, pg_port, needed_by="--stack pg-redis"):
    bins = sorted(d for d in (os.path.join("/usr/lib/postgresql", v, "bin")
                              for v in os.listdir("/usr/lib/postgresql")) if os.path.isdir(d)) \
        if os.path.isdir("/usr/lib/postgresql") else []
    if not bins:
        sys.exit(f"bench: {needed_by} needs the PostgreSQL server binaries (apt-get install postgresql)")
    pg_bin = bins[-1]
    data = os.path.join(work, "pg")
    as_pg = []
    if os.getuid() == 0:  # PostgreSQL refuses to run as root
        if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
        shutil.chown(work, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_pg + [f"{pg_bin}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                   check=True, stdout=subprocess.DEVNULL)
    # Defaults (fsync and synchronous_commit on), enough connections for the pool.
    subprocess.run(as_pg + [f"{pg_bin}/pg_ctl", "-D", data, "-l", os.path.join(work, "pg.log"), "-w", "-o",
                            f"-p {pg_port} -k {work} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                            # e.g. "-c shared_preload_libraries=pg_stat_statements" to see
                            # where the database's time goes (docs/benchmarks.md, Profiling)
                            + os.environ.get("BENCH_PG_OPTIONS", ""),
                            "start"], check=True, stdout=subprocess.DEVNULL)
    procs.cleanups.append(lambda: subprocess.run(
        as_pg + [f"{pg_bin}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True))
    return f"postgres://postgres@127.0.0.1:{pg_port}/postgres"


def start_redis(procs, work, port, needed_by="--stack pg-redis"):
    if not shutil.which("redis-server"):
        sys.exit(f"bench: {needed_by} needs redis-server (apt-get install redis-server)")
    proc = procs.start("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", work])
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            return f"redis://127.0.0.1:{port}", proc
        time.sleep(0.1)
    sys.exit("bench: redis-server did not start")


def ensure_packages(packages):
    """Installs missing Debian packages with apt-get when this user can (a fresh machine)."""
    def present(pkg):
        if pkg == "postgresql":
            return os.path.isdir("/usr/lib/postgresql") and bool(os.listdir("/usr/lib/postgresql"))
        return shutil.which(pkg) is not None
    missing = [p for p in packages if not present(p)]
    if not missing:
        return
    sudo = [] if os.getuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None or not shutil.which("apt-get"):
        sys.exit(f"bench: needs {' '.join(missing)}; install them (apt-get install {' '.join(missing)})")
    log(f"installing {' '.join(missing)} (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    ok = subprocess.run(sudo + ["apt-get", "update", "-qq"], env=env).returncode == 0 and \
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing, env=env,
                       stdout=subprocess.DEVNULL).returncode == 0
    if not ok or not all(present(p) for p in missing):
        sys.exit(f"bench: could not install {' '.join(missing)}; install them and run again")


def gateway_binary(path):
    """The binary to measure: `path` when given, else the release build of this tree."""
    if path:
        return os.path.abspath(path)
    log("building the release binary (cargo build --release)")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "shipgate"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "shipgate")


def start_simulators(procs, binary, env, latency_ms=0, jitter_ms=0, failure_rate=0.0,
                     carriers=("delhivery", "shiprocket")):
    """One `shipgate simulate` process per carrier: {carrier: (port, process)}."""
    sims = {}
    for carrier in carriers:
        port = free_port()
        proc = procs.start(f"sim-{carrier}", [binary, "simulate", "--listen", f"127.0.0.1:{port}",
                                              "--latency-ms", str(latency_ms),
                                              "--jitter-ms", str(jitter_ms),
                                              "--failure-rate", str(failure_rate)], env)
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc, f"the {carrier} simulator")
        sims[carrier] = (port, proc)
    return sims


def gateway_env(env, port, sims, oms_webhooks=False):
    """The gateway's environment: the bench key, rate cache off, limits no scenario
    reaches, every simulated carrier's base URL."""
    gw_env = dict(env, **{
        "SHIPGATE_LISTEN": f"127.0.0.1:{port}",
        "SHIPGATE_BOOTSTRAP_API_KEY": KEY,
        "SHIPGATE_RATES__CACHE_TTL_MS": "0",
        "SHIPGATE_OMS_WEBHOOKS__ENABLED": "true" if oms_webhooks else "false",
    })
    # The limiter stays in the path with limits no scenario reaches: its cost is measured,
    # its 429s are not.
    for cls in ("RATES", "WRITES", "READS"):
        gw_env[f"SHIPGATE_LIMITS__{cls}__PER_SECOND"] = "10000000"
        gw_env[f"SHIPGATE_LIMITS__{cls}__BURST"] = "10000000"
    for carrier, (sim_port, _) in sims.items():
        gw_env[f"SHIPGATE_CARRIERS__{carrier.upper()}__BASE_URL"] = f"http://127.0.0.1:{sim_port}/{carrier}"
    return gw_env


def register_endpoint(url, target):
    """Registers an OMS webhook endpoint for every event type; its answer (id, secret)."""
    auth = {"authorization": f"Bearer {KEY}"}
    status, body = http("POST", f"{url}/v1/webhook-endpoints", {"url": target}, auth)
    if status != 201:
        sys.exit(f"bench: registering a webhook endpoint failed: {status} {body[:300]!r}")
    return json.loads(body)


def book_shipments(url, shipment, shipments, path):
    """Books `shipments` at Delhivery with `shipment` as the body, 16 at a time; writes
    their AWBs to `path`, one a line."""
    auth = {"authorization": f"Bearer {KEY}"}
    run = int(time.time())

    def book(i):
        body = dict(shipment, order_ref=f"BENCH-{run}-{i}", carrier="delhivery")
        status, answer = http("POST", f"{url}/v1/shipments", body, auth)
        return json.loads(answer).get("awb") if status == 201 else None

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        awbs = [a for a in pool.map(book, range(shipments)) if a]
    if len(awbs) < shipments * 0.9:
        sys.exit(f"bench: only {len(awbs)} of {shipments} bookings succeeded")
    with open(path, "w") as f:
        f.write("\n".join(awbs) + "\n")
    return awbs


def wrk(url, path, script, args, conns, seconds, threads=None, what="wrk"):
    """Runs wrk with a Lua script that prints a `BENCH {json}` line (bench/report.lua);
    that summary, with `examples` (lines "STATUS: body" the script kept) and `stdout`."""
    threads = threads or min(2, conns)
    argv = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s", "-s", script,
            url + path]
    if args:
        argv += ["--"] + args
    out = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH ")), None)
    if out.returncode != 0 or line is None:
        sys.exit(f"bench: wrk failed for {what}: {out.stdout}\n{out.stderr}")
    result = json.loads(line[len("BENCH "):])
    # Scripts that keep examples of wrong answers print them as "STATUS: body".
    result["examples"] = [l for l in out.stdout.splitlines() if re.match(r"^\d{3}: ", l)]
    result["stdout"] = out.stdout
    return result


def git_commit():
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return rev.stdout.strip()
