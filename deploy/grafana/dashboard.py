"""Writes deploy/grafana/shipgate.json, the Grafana dashboard of a shipgate deployment.

The dashboard is generated so its ~30 panels share one layout and one way of writing a
rate or a percentile; edit the panels here and run `python3 deploy/grafana/dashboard.py`.
`--check` exits 1 when shipgate.json is not what this writes (scripts/check-deploy.sh).

Every query filters on the `instance` variable; the data source is the `datasource`
variable, so the file imports into any Grafana with a Prometheus data source.
"""

import json
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shipgate.json")
DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'instance=~"$instance"'
RATE = "$__rate_interval"


def sel(extra=""):
    return "{" + SEL + (", " + extra if extra else "") + "}"


def rate(metric, extra="", by=None):
    inner = f"rate({metric}{sel(extra)}[{RATE}])"
    return f"sum by ({by}) ({inner})" if by else f"sum({inner})"


def quantile(q, metric, by="", extra=""):
    group = "le" + (", " + by if by else "")
    return f"histogram_quantile({q}, sum by ({group}) (rate({metric}_bucket{sel(extra)}[{RATE}])))"


def target(expr, legend="", ref="A"):
    return {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, "range": True}


class Layout:
    """Panels left to right, rows of 24 units, each panel 8 high."""

    def __init__(self):
        self.panels = []
        self.x = 0
        self.y = 0
        self.next_id = 1

    def _place(self, w, h):
        if self.x + w > 24:
            self.x = 0
            self.y += 8
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        return pos

    def row(self, title):
        if self.x:
            self.x = 0
            self.y += 8
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False,
                            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}, "panels": []})
        self.y += 1

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    def panel(self, kind, title, targets, unit="short", w=8, description="", **extra):
        refs = "ABCDEFGH"
        panel = {
            "type": kind,
            "title": title,
            "description": description,
            "id": self._id(),
            "datasource": DS,
            "gridPos": self._place(w, 8),
            "targets": [target(e, legend, refs[i]) for i, (e, legend) in enumerate(targets)],
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {},
        }
        if kind == "timeseries":
            panel["fieldConfig"]["defaults"]["custom"] = {"fillOpacity": 10, "lineWidth": 1}
            panel["options"] = {"legend": {"displayMode": "list", "placement": "bottom"},
                                "tooltip": {"mode": "multi", "sort": "desc"}}
        for key, value in extra.items():
            if key == "mappings":
                panel["fieldConfig"]["defaults"]["mappings"] = value
            elif key == "thresholds":
                panel["fieldConfig"]["defaults"]["thresholds"] = {
                    "mode": "absolute",
                    "steps": [{"color": c, "value": v} for v, c in value]}
            else:
                panel[key] = value
        self.panels.append(panel)


def value_map(pairs):
    return [{"type": "value", "options": {
        str(v): {"text": text, "color": color, "index": i}
        for i, (v, text, color) in enumerate(pairs)}}]


UP_DOWN = value_map([(1, "up", "green"), (0, "down", "red")])
BREAKER = value_map([(0, "closed", "green"), (1, "half-open", "orange"), (2, "open", "red")])


def build():
    d = Layout()

    d.row("Overview")
    d.panel("stat", "Gateways up", [('sum(up{job="shipgate", ' + SEL + "})", "")], w=4,
            description="Scrape targets of the `shipgate` job that answer.",
            thresholds=[(None, "red"), (1, "orange"), (2, "green")])
    d.panel("stat", "Requests / s", [(rate("shipgate_http_request_duration_seconds_count"), "")],
            unit="reqps", w=4)
    d.panel("stat", "5xx share", [(
        rate("shipgate_http_request_duration_seconds_count", 'status=~"5.."') + " / "
        + rate("shipgate_http_request_duration_seconds_count"), "")], unit="percentunit", w=4,
        thresholds=[(None, "green"), (0.001, "orange"), (0.0144, "red")])
    d.panel("stat", "Dependencies", [(
        f"min by (dependency) (shipgate_dependency_up{sel()})", "{{dependency}}")], w=6,
        description="The gateways' probe of the database and Redis (every 5 s); the worst "
                    "instance shown.", mappings=UP_DOWN,
        thresholds=[(None, "red"), (1, "green")])
    d.panel("stat", "Open circuits", [(
        f"count(max by (carrier, account) (shipgate_carrier_breaker_state{sel()}) == 2) or vector(0)",
        "")], w=6, description="Carrier accounts whose circuit is open in some gateway.",
        thresholds=[(None, "green"), (1, "red")])

    d.row("HTTP API")
    d.panel("timeseries", "Requests by status class", [(
        "sum by (class) (label_replace(rate(shipgate_http_request_duration_seconds_count"
        f'{sel()}[{RATE}]), "class", "$1", "status", "(.).."))', "{{class}}xx")],
        unit="reqps")
    d.panel("timeseries", "Latency p50 / p99", [
        (quantile(0.5, "shipgate_http_request_duration_seconds"), "p50"),
        (quantile(0.99, "shipgate_http_request_duration_seconds"), "p99")], unit="s")
    d.panel("timeseries", "p99 latency by route (slowest 10)", [(
        "topk(10, " + quantile(0.99, "shipgate_http_request_duration_seconds", "method, route")
        + ")", "{{method}} {{route}}")], unit="s")
    d.panel("timeseries", "5xx by route", [(
        rate("shipgate_http_request_duration_seconds_count", 'status=~"5.."', "route, status"),
        "{{status}} {{route}}")], unit="reqps")
    d.panel("timeseries", "Tenant rate limit: 429s by class", [(
        rate("shipgate_rate_limited_total", by="class"), "{{class}}")], unit="reqps",
        description="Requests refused by the per-tenant limits (rates, writes, reads).")
    d.panel("timeseries", "Idempotency-Key outcomes", [(
        rate("shipgate_idempotency_requests_total", by="outcome"), "{{outcome}}")], unit="reqps",
        description="executed: first use of a key; replayed: the stored outcome answered again; "
                    "in_flight: 409 while the first runs; mismatch: 422 (another body); "
                    "unavailable: 503 (Redis down).")

    d.row("Carriers")
    d.panel("timeseries", "Carrier operations by account and outcome", [(
        rate("shipgate_carrier_operations_total", by="account, outcome"),
        "{{account}} {{outcome}}")], unit="ops")
    d.panel("timeseries", "Carrier error share by account", [(
        rate("shipgate_carrier_operations_total", 'outcome!="ok"', "carrier, account") + " / "
        + rate("shipgate_carrier_operations_total", by="carrier, account"),
        "{{account}}")], unit="percentunit",
        description="Operations that did not succeed: not_sent (quota, open circuit), "
                    "connect, timeout, upstream (5xx), bad_response, rejected (the "
                    "carrier's 4xx), unsupported.")
    d.panel("timeseries", "Carrier operation p99 by account and operation", [(
        quantile(0.99, "shipgate_carrier_operation_duration_seconds", "account, operation"),
        "{{account}} {{operation}}")], unit="s",
        description="Whole operations (a multi-call booking included), as the API waits on them.")
    d.panel("timeseries", "Carrier HTTP request p99 by account", [(
        quantile(0.99, "shipgate_carrier_http_request_duration_seconds", "carrier, account"),
        "{{account}}")], unit="s")
    d.panel("timeseries", "Carrier HTTP answers by status", [(
        rate("shipgate_carrier_http_request_duration_seconds_count", by="account, status"),
        "{{account}} {{status}}")], unit="reqps",
        description="HTTP status of each request sent, or timeout, connect_error, io_error.")
    d.panel("state-timeline", "Circuit state by account", [(
        f"max by (account) (shipgate_carrier_breaker_state{sel()})", "{{account}}")],
        mappings=BREAKER, thresholds=[(None, "green"), (1, "orange"), (2, "red")],
        description="The worst state any gateway sees: closed, half-open (the next call "
                    "probes), open (calls fail fast).")
    d.panel("timeseries", "Circuits opened and calls refused", [
        (f"sum by (account) (increase(shipgate_carrier_circuit_opened_total{sel()}[{RATE}]))",
         "{{account}} opened"),
        (rate("shipgate_carrier_circuit_refusals_total", by="account"), "{{account}} refused/s")])
    d.panel("timeseries", "Outbound quota: waits and refusals", [
        (rate("shipgate_carrier_quota_waits_total", by="carrier"), "{{carrier}} waited"),
        (rate("shipgate_carrier_quota_refusals_total", by="carrier"), "{{carrier}} refused"),
        (rate("shipgate_carrier_calls_queued_total", by="account"),
         "{{account}} waited for a call in flight")],
        unit="ops", description="Calls that waited for a slot of the carrier's quota, "
                                "calls refused when no slot would come within 2 s, and "
                                "calls that waited because the account already had its "
                                "most calls in flight (max_concurrent_calls).")
    d.panel("timeseries", "Outbound quota: wait p99", [(
        quantile(0.99, "shipgate_carrier_quota_wait_seconds", "carrier"), "{{carrier}}")],
        unit="s")

    d.row("Carrier pushes (inbox)")
    d.panel("timeseries", "Inbox backlog", [(
        f"max(shipgate_webhook_inbox_backlog{sel()})", "pending pushes")],
        description="Stored carrier pushes not processed yet (one count in the shared "
                    "database, reported by every gateway: max).")
    d.panel("timeseries", "Pushes received and processed", [
        (rate("shipgate_webhook_pushes_total", by="outcome"), "received {{outcome}}"),
        (rate("shipgate_webhook_pushes_processed_total", by="outcome"), "processed {{outcome}}")],
        unit="reqps")
    d.panel("timeseries", "Processing lag p50 / p99", [
        (quantile(0.5, "shipgate_webhook_processing_lag_seconds"), "p50"),
        (quantile(0.99, "shipgate_webhook_processing_lag_seconds"), "p99")], unit="s",
        description="From a push stored to its tracking events written.")
    d.panel("timeseries", "Pushes stored raw", [(
        rate("shipgate_webhook_pushes_stored_raw_total", by="carrier"), "{{carrier}}")],
        unit="reqps",
        description="Pushes whose processing at intake failed (the database refused the "
                    "events): stored as received and left to the background processor. "
                    "Zero when all is well; the inbox backlog grows with it.")
    d.panel("timeseries", "Pushes given up (inbox dead letters)", [(
        f"sum(increase(shipgate_webhook_pushes_given_up_total{sel()}[{RATE}]))", "given up")],
        thresholds=[(None, "green"), (1, "red")])

    d.row("Outbound webhooks (outbox)")
    d.panel("timeseries", "Outbox backlog", [(
        f"max(shipgate_oms_webhook_backlog{sel()})", "pending deliveries")],
        description="Deliveries to OMS endpoints not finished yet, waiting retries included.")
    d.panel("timeseries", "Delivery attempts by outcome", [(
        rate("shipgate_oms_webhook_attempts_total", by="outcome"), "{{outcome}}")], unit="ops")
    d.panel("timeseries", "Deliveries finished and dead-lettered", [
        (rate("shipgate_oms_webhook_deliveries_total", by="outcome"), "{{outcome}}"),
        (f"sum(increase(shipgate_oms_webhook_dead_lettered_total{sel()}[{RATE}]))",
         "dead-lettered")])
    d.panel("timeseries", "Delivery attempt p99", [(
        quantile(0.99, "shipgate_oms_webhook_attempt_seconds", "outcome"), "{{outcome}}")],
        unit="s")

    d.row("Tracking polls")
    d.panel("timeseries", "Polls due by account", [(
        f"max by (account) (shipgate_tracking_poll_backlog{sel()})", "{{account}}")],
        description="Shipments whose next tracking poll is due (shared schedule: max).")
    d.panel("timeseries", "Poll lag p99 by carrier", [(
        quantile(0.99, "shipgate_tracking_poll_lag_seconds", "carrier"), "{{carrier}}")],
        unit="s", description="How late polls start after they were due.")
    d.panel("timeseries", "Polls by outcome", [(
        rate("shipgate_tracking_polls_total", by="carrier, outcome"), "{{carrier}} {{outcome}}")],
        unit="ops")

    return {
        "title": "shipgate",
        "uid": "shipgate-overview",
        "description": "A shipgate deployment: API, carriers, circuits and quotas, carrier "
                       "pushes, outbound webhooks, tracking polls. Alerts: deploy/prometheus/alerts.yml.",
        "tags": ["shipgate"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "graphTooltip": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [
            {"name": "datasource", "label": "Data source", "type": "datasource",
             "query": "prometheus", "current": {}, "hide": 0, "refresh": 1},
            {"name": "instance", "label": "Instance", "type": "query", "datasource": DS,
             "query": {"query": "label_values(shipgate_http_request_duration_seconds_count, instance)",
                       "refId": "instances"},
             "definition": "label_values(shipgate_http_request_duration_seconds_count, instance)",
             "multi": True, "includeAll": True, "allValue": ".*", "current": {}, "hide": 0,
             "refresh": 2, "sort": 1},
        ]},
        "annotations": {"list": []},
        "panels": d.panels,
    }


def main():
    text = json.dumps(build(), indent=2) + "\n"
    if sys.argv[1:] == ["--check"]:
        with open(OUT) as f:
            if f.read() != text:
                raise SystemExit(f"{OUT} is not what {__file__} writes: run it")
        return
    with open(OUT, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
