"""The checks of deploy/ that need more than promtool (scripts/check-deploy.sh runs them).

  deploy_check.py metrics URL KEY RULES DASHBOARD
      Drives a little traffic through a running sandbox gateway so its lazily created
      series appear (rates, a keyed booking and its replay, a carrier push, a webhook
      endpoint whose delivery fails for good, a tracking poll, a circuit that opens, a
      paced carrier's quota, a tenant limit), then checks that every metric the alert
      rules and the dashboard use is exported by the gateway, with every label their
      selectors and groupings name. The gateway must run with the settings
      scripts/check-deploy.sh gives it (fast polls, one retry, paced and fragile carriers).

  deploy_check.py manifests BIN DEPLOY_DIR
      Every YAML file under DEPLOY_DIR parses; the Kubernetes manifests have what
      docs/deployment.md promises (probes, grace period above the shutdown timeout, a
      preStop pause, resources, replicas, a disruption budget, selectors that match); and
      the SHIPGATE_* variables each container and compose service sets are accepted by
      `BIN check-config` (an unknown or misspelt key fails it).

Exit status 1 with a list of every problem found.
"""

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import yaml

# Labels Prometheus adds at scrape time (and `le` of histogram buckets, `__name__`).
SCRAPE_LABELS = {"job", "instance", "le", "__name__"}
PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
    "bool", "offset",
}
SUFFIXES = ("_bucket", "_sum", "_count")


# ---------------------------------------------------------------- metrics ---------------

def call(base, key, method, path, body=None, headers=None, expect=None):
    """One request; returns (status, parsed JSON or None)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    if expect is not None and status not in expect:
        raise SystemExit(f"{method} {path}: HTTP {status}, expected {expect}: {raw[:500]!r}")
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


FROM = {"name": "Shipgate Warehouse", "phone": "9000000001", "line1": "Plot 4, Industrial Area",
        "city": "New Delhi", "state": "Delhi", "postal_code": "110020"}
TO = {"name": "Asha Rao", "phone": "+91 98765 43210", "line1": "12 MG Road",
      "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001"}
PARCELS = [{"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
            "declared_value": {"amount": 49900, "currency": "INR"}}]


def rates(base, key, carrier):
    body = {"from": FROM, "to": TO, "parcels": PARCELS, "payment": {"mode": "prepaid"},
            "carriers": [carrier], "deadline_ms": 10000}
    return call(base, key, "POST", "/v1/rates", body)


def drive(base, key):
    """Traffic that makes every series the deploy files use appear."""
    # An OMS endpoint nothing listens on: with a one-attempt schedule its delivery of the
    # booking's event fails and is dead-lettered.
    call(base, key, "POST", "/v1/webhook-endpoints",
         {"url": "http://127.0.0.1:9/hooks", "description": "deploy check"}, expect={201})
    # A keyed booking and its replay (idempotency), which schedules a tracking poll.
    booking = {"order_ref": f"DEPLOY-{uuid.uuid4().hex}", "carrier": "delhivery",
               "from": FROM, "to": TO, "parcels": PARCELS, "payment": {"mode": "prepaid"}}
    idem = {"Idempotency-Key": uuid.uuid4().hex}
    _, shipment = call(base, key, "POST", "/v1/shipments", booking, idem, expect={201})
    call(base, key, "POST", "/v1/shipments", booking, idem, expect={201})
    # A carrier push for it (Delhivery's scan push format).
    scan = {"Shipment": {"AWB": shipment["awb"], "ReferenceNo": "deploy-check", "Status": {
        "Status": "In Transit", "StatusType": "UD", "StatusDateTime": "2030-01-01 10:00:00",
        "StatusLocation": "Bhiwandi_Mega_GW (Maharashtra)",
        "Instructions": "Bag Received at Facility"}, "NSLCode": "X-ILL1F"}}
    call(base, None, "POST", "/v1/carriers/delhivery/webhooks", scan, expect={200, 202})
    # Rates: carrier calls and their HTTP requests.
    rates(base, key, "delhivery")
    # A failing carrier whose circuit opens at the first failure: the next call is refused.
    call(base, None, "POST", "/sandbox/shiprocket/_faults", {"status": 503, "times": 5},
         expect={204})
    rates(base, key, "shiprocket")
    # Rate shopping skips an open circuit; a booking meets it and is refused unsent.
    call(base, key, "POST", "/v1/shipments", dict(booking, carrier="shiprocket",
                                                 order_ref=f"DEPLOY-{uuid.uuid4().hex}"))
    # A paced carrier (0.6 calls a second, a slot every 1.7 s; two calls in flight at
    # most) asked four times at once: one call goes, one waits for its slot, the others
    # wait for a turn in flight, then would wait past 2 s for a slot: refused.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: rates(base, key, "clickpost"), range(4)))
    # Past the tenant's read limit: 429s.
    for _ in range(8):
        call(base, key, "GET", "/v1/shipments?limit=1")


def exported(base):
    """Metric name -> the label names of its series, from /metrics."""
    with urllib.request.urlopen(base + "/metrics", timeout=30) as r:
        text = r.read().decode()
    names = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            names.setdefault(line.split()[2], set())
            continue
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s", line)
        if not m:
            continue
        name = base_name(m.group(1), names)
        labels = set(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="', m.group(3) or ""))
        names.setdefault(name, set()).update(labels)
    return names


def base_name(name, known=()):
    for suffix in SUFFIXES:
        if name.endswith(suffix) and (not known or name[: -len(suffix)] in known):
            return name[: -len(suffix)]
    return name


def expressions(rules_path, dashboard_path):
    """(where, PromQL) for every alert and recording rule and every dashboard query."""
    found = []
    with open(rules_path) as f:
        for group in yaml.safe_load(f)["groups"]:
            for rule in group["rules"]:
                found.append((f"alerts.yml {rule.get('alert') or rule.get('record')}", rule["expr"]))
    with open(dashboard_path) as f:
        dashboard = json.load(f)
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            found.append((f"dashboard panel {panel['title']!r}", target["expr"]))
    for var in dashboard.get("templating", {}).get("list", []):
        query = var.get("query")
        if var.get("type") == "query":
            text = query.get("query") if isinstance(query, dict) else query
            m = re.match(r"label_values\((.*),\s*(\w+)\)$", text.strip())
            if m:
                found.append((f"dashboard variable {var['name']}",
                              f"count by ({m.group(2)}) ({m.group(1)})"))
    return found


def used(expr, recorded):
    """What one expression uses: [(metric, {label names in its selector})] and the label
    names it groups by, and those label_replace makes."""
    # Strings are where label values and regexes live: blank them, after noting the
    # labels label_replace writes.
    made = set(re.findall(r'"(\w+)",\s*"[^"]*",\s*"\w+",\s*"[^"]*"\s*\)', expr))
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\[[^\]]*\]", "", text)  # ranges and subqueries
    metrics = []
    for m in re.finditer(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?", text):
        name, selector = m.group(1), m.group(2) or ""
        rest = text[m.end():].lstrip()
        if name in PROMQL_WORDS or rest.startswith("(") or ":" in name and name in recorded:
            continue
        if not (name.startswith("shipgate_") or name == "up"):
            continue
        labels = set(re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", selector))
        metrics.append((name, labels))
    grouped = set()
    for m in re.finditer(r"\b(?:by|without)\s*\(([^)]*)\)", text):
        grouped.update(x.strip() for x in m.group(1).split(",") if x.strip())
    return metrics, grouped, made


def check_metrics(base, rules_path, dashboard_path):
    with open(rules_path) as f:
        recorded = {r["record"] for g in yaml.safe_load(f)["groups"] for r in g["rules"] if "record" in r}
    exprs = expressions(rules_path, dashboard_path)
    wanted = set()
    for _, expr in exprs:
        for name, _ in used(expr, recorded)[0]:
            if name != "up":
                wanted.add(base_name(name))
    # Pushes, polls and deliveries are processed in the background: wait for them.
    deadline = time.monotonic() + 30
    while True:
        have = exported(base)
        missing = sorted(wanted - set(have))
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    problems = [f"{name}: used in deploy/ but not exported by the gateway" for name in missing]
    for where, expr in exprs:
        metrics, grouped, made = used(expr, recorded)
        available = set(SCRAPE_LABELS) | made
        for name, labels in metrics:
            if name == "up":
                continue
            series_labels = have.get(base_name(name), set())
            available |= series_labels
            for label in sorted(labels - series_labels - SCRAPE_LABELS):
                problems.append(f"{where}: {name} has no label {label!r} "
                                f"(it has {sorted(series_labels)})")
        if all(name == "up" or base_name(name) in have for name, _ in metrics):
            for label in sorted(grouped - available):
                problems.append(f"{where}: groups by {label!r}, which no series it uses has")
    print(f"{len(wanted)} metrics used by {len(exprs)} expressions; "
          f"{len(have)} exported by the gateway", file=sys.stderr)
    return problems


# ---------------------------------------------------------------- manifests -------------

def documents(deploy_dir):
    """(path, document) for every YAML document under deploy_dir."""
    docs = []
    for root, _, files in os.walk(deploy_dir):
        for name in sorted(files):
            if name.endswith((".yml", ".yaml")):
                path = os.path.join(root, name)
                with open(path) as f:
                    for doc in yaml.safe_load_all(f):
                        if doc is not None:
                            docs.append((path, doc))
    return docs


def shutdown_timeout(env):
    return int(env.get("SHIPGATE_SHUTDOWN_TIMEOUT_SECS", "30"))


def check_config(bin_path, where, env, problems):
    """`shipgate check-config` with exactly these SHIPGATE_* variables."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    clean.update(env)
    run = subprocess.run([bin_path, "check-config"], env=clean, capture_output=True, text=True,
                         timeout=60)
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    if run.returncode != 0:
        problems.append(f"{where}: `shipgate check-config` refuses its SHIPGATE_* settings: "
                        f"{(run.stderr or run.stdout).strip()}")
    for warning in warnings:
        problems.append(f"{where}: `shipgate check-config`: {warning}")


def placeholder(name):
    """A stand-in for a value the manifests take from a Secret or an interpolation."""
    if name.endswith("_URL"):
        return {"SHIPGATE_DATABASE_URL": "postgres://shipgate:x@postgres:5432/shipgate",
                "SHIPGATE_REDIS_URL": "redis://redis:6379"}.get(name, "https://example.com")
    return "placeholder-value-0123456789"


def container_env(container, by_kind, path, problems):
    env = {}
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
        else:
            env[item["name"]] = placeholder(item["name"])
    for source in container.get("envFrom", []):
        ref = source.get("secretRef") or source.get("configMapRef")
        kind = "Secret" if "secretRef" in source else "ConfigMap"
        found = by_kind.get((kind, ref["name"]))
        if found is None:
            problems.append(f"{path}: envFrom names {kind} {ref['name']!r}, not in deploy/")
            continue
        if kind == "ConfigMap":
            env.update({name: str(value) for name, value in (found.get("data") or {}).items()})
        else:
            # A Secret's values are placeholders here: only its keys count.
            keys = {**(found.get("data") or {}), **(found.get("stringData") or {})}
            env.update({name: placeholder(name) for name in keys})
    return env


def check_kubernetes(bin_path, docs, problems):
    by_kind = {(d.get("kind"), d.get("metadata", {}).get("name")): d for _, d in docs}
    kinds = {d.get("kind") for _, d in docs}
    for kind in ("Deployment", "Service", "PodDisruptionBudget", "Secret"):
        if kind not in kinds:
            problems.append(f"kubernetes: no {kind} manifest")
    for path, doc in docs:
        for field in ("apiVersion", "kind", "metadata"):
            if field not in doc:
                problems.append(f"{path}: a document without {field}")
        if doc.get("kind") != "Deployment":
            continue
        name = doc["metadata"]["name"]
        spec = doc["spec"]
        pod = spec["template"]["spec"]
        labels = spec["template"]["metadata"].get("labels", {})
        if any(labels.get(k) != v for k, v in spec["selector"]["matchLabels"].items()):
            problems.append(f"{path}: the selector does not match the pod template's labels")
        if spec.get("replicas", 1) < 2:
            problems.append(f"{path}: fewer than 2 replicas")
        for container in pod["containers"]:
            where = f"{path} container {container['name']}"
            env = container_env(container, by_kind, path, problems)
            check_config(bin_path, where, {k: v for k, v in env.items() if k.startswith("SHIPGATE_")}, problems)
            ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
            for probe, route in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                http = container.get(probe, {}).get("httpGet", {})
                if http.get("path") != route:
                    problems.append(f"{where}: {probe} is not an HTTP GET of {route}")
                elif http.get("port") not in ports and http.get("port") not in ports.values():
                    problems.append(f"{where}: {probe} port {http.get('port')!r} is not a container port")
            if "resources" not in container or "requests" not in container["resources"]:
                problems.append(f"{where}: no resource requests")
            pre_stop = container.get("lifecycle", {}).get("preStop", {})
            pause = pre_stop.get("sleep", {}).get("seconds")
            if pause is None:
                command = " ".join(pre_stop.get("exec", {}).get("command", []))
                m = re.search(r"sleep (\d+)", command)
                pause = int(m.group(1)) if m else None
            if pause is None:
                problems.append(f"{where}: no preStop pause before SIGTERM")
            grace = pod.get("terminationGracePeriodSeconds", 30)
            if grace <= (pause or 0) + shutdown_timeout(env):
                problems.append(f"{where}: terminationGracePeriodSeconds {grace} is not above the "
                                f"preStop pause ({pause}) plus the shutdown timeout "
                                f"({shutdown_timeout(env)})")
        matched = [d for _, d in docs if d.get("kind") in ("Service", "PodDisruptionBudget")
                   and all(labels.get(k) == v for k, v in
                           (d["spec"].get("selector", {}).get("matchLabels")
                            or d["spec"].get("selector", {})).items())]
        if {d["kind"] for d in matched} != {"Service", "PodDisruptionBudget"}:
            problems.append(f"{path}: Deployment {name} lacks a Service or a PodDisruptionBudget "
                            "selecting its pods")


def compose_env(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    resolved = {}
    for name, value in env.items():
        value = "" if value is None else str(value)
        # ${VAR:-default} and ${VAR}: the default, or a stand-in.
        value = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)
        if "${" in value:
            value = placeholder(name)
        resolved[name] = value
    return resolved


def check_compose(bin_path, path, doc, problems):
    services = doc.get("services", {})
    gateways = [n for n, s in services.items() if any(k.startswith("SHIPGATE_") for k in compose_env(s))]
    if len(gateways) < 2:
        problems.append(f"{path}: fewer than two gateway services")
    for name in gateways:
        env = compose_env(services[name])
        check_config(bin_path, f"{path} service {name}", env, problems)
        for needed in ("SHIPGATE_DATABASE_URL", "SHIPGATE_REDIS_URL"):
            if needed not in env:
                problems.append(f"{path} service {name}: no {needed} (shared state)")
    for name, service in services.items():
        for dep in service.get("depends_on", []):
            if dep not in services:
                problems.append(f"{path} service {name}: depends on unknown service {dep}")
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith("."):
                local = os.path.normpath(os.path.join(os.path.dirname(path), source))
                if not os.path.exists(local):
                    problems.append(f"{path} service {name}: mounts {source}, which does not exist")


def check_manifests(bin_path, deploy_dir):
    problems = []
    docs = []
    try:
        docs = documents(deploy_dir)
    except yaml.YAMLError as e:
        return [f"YAML does not parse: {e}"]
    kube = [(p, d) for p, d in docs if "/kubernetes/" in p]
    check_kubernetes(bin_path, kube, problems)
    compose = [(p, d) for p, d in docs if os.path.basename(p).startswith(("compose", "docker-compose"))]
    if not compose:
        problems.append("no compose file in deploy/")
    for path, doc in compose:
        check_compose(bin_path, path, doc, problems)
    print(f"{len(docs)} YAML documents ({len(kube)} Kubernetes, {len(compose)} compose)",
          file=sys.stderr)
    return problems


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "metrics":
        base, key, rules, dashboard = sys.argv[2:]
        drive(base, key)
        problems = check_metrics(base, rules, dashboard)
    elif len(sys.argv) == 4 and sys.argv[1] == "manifests":
        problems = check_manifests(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if problems:
        raise SystemExit(f"{len(problems)} problem(s)")


if __name__ == "__main__":
    main()
