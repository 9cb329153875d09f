#!/usr/bin/env bash
# The check of deploy/ (the Prometheus rules, the Grafana dashboard, the compose file and
# the Kubernetes manifests): operators copy these files as they are, so a misspelt metric
# or configuration key must fail here rather than leave an alert that can never fire.
#
#   1. promtool check rules, and promtool test rules on deploy/prometheus/alerts.test.yml
#      (alerts fire on synthetic series and stay silent otherwise);
#   2. the dashboard is what deploy/grafana/dashboard.py writes; every runbook_url names a
#      section of docs/alerts.md;
#   3. starts the gateway (sandbox, SQLite, a free port; scripts/sandbox-gateway.sh),
#      drives traffic that makes its lazily created series appear, and checks every
#      metric and label the rules and the dashboard use against its /metrics
#      (scripts/deploy_check.py metrics);
#   4. the Kubernetes manifests validate against the API schemas (kubernetes-validate
#      --strict, offline); every YAML file parses; the manifests have probes, grace period,
#      preStop pause, replicas, a disruption budget; and every SHIPGATE_* variable they
#      and the compose file set is accepted by `shipgate check-config`
#      (scripts/deploy_check.py manifests).
#
# Installs Debian's prometheus package (for promtool) with apt-get when promtool is
# missing, and kubernetes-validate (pinned) into a virtualenv under target/deploy-venv.
# Usage: scripts/check-deploy.sh   (GATEWAY_BIN: a gateway binary already built; default:
# builds and uses target/debug/shipgate)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*" >&2; }

if ! command -v promtool >/dev/null; then
    log "installing promtool (Debian's prometheus package)"
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
# kubernetes-validate carries the Kubernetes API schemas: it validates offline.
KUBERNETES_VALIDATE_VERSION=1.37.0
VENV=target/deploy-venv
if ! "$VENV/bin/kubernetes-validate" --version 2>/dev/null | grep -qx "$KUBERNETES_VALIDATE_VERSION"; then
    log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" pyyaml
fi
PY="$VENV/bin/python"

log "promtool: rules and their unit tests"
promtool check rules deploy/prometheus/alerts.yml
(cd deploy/prometheus && promtool test rules alerts.test.yml)
if [ -f deploy/prometheus/prometheus.yml ]; then
    promtool check config --syntax-only deploy/prometheus/prometheus.yml
fi

log "dashboard generated from deploy/grafana/dashboard.py; runbook links"
"$PY" deploy/grafana/dashboard.py --check
missing_anchors=0
for anchor in $(grep -o 'alerts.md#[a-z0-9-]*' deploy/prometheus/alerts.yml | sort -u | cut -d'#' -f2); do
    # GitHub-style anchors of docs/alerts.md's headings: lower case, spaces to dashes.
    if ! grep -E '^#+ ' docs/alerts.md | sed -E 's/^#+ //' | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-\n' | grep -qx "$anchor"; then
        echo "  runbook_url #$anchor: no such section in docs/alerts.md" >&2
        missing_anchors=1
    fi
done
[ "$missing_anchors" = 0 ] || exit 1

WORK=$(mktemp -d /tmp/shipgate-deploy.XXXXXX)
# shellcheck source=scripts/sandbox-gateway.sh
. scripts/sandbox-gateway.sh
gateway_bin
trap 'kill_gateway; rm -rf "$WORK"' EXIT
KEY=sg_deploy_check_key_0123456789

log "metrics used by deploy/ against a running gateway's /metrics"
# Settings that make the lazily created series appear within seconds: a tracking poll
# right after booking, a single delivery attempt (then dead-lettered), no rate or
# serviceability cache, a circuit that opens at the first failure, a paced carrier with
# two calls in flight at most, a small read limit.
start_gateway "$BIN" "$WORK" "$KEY" \
    SHIPGATE_POLLING__FIRST_POLL_SECS=1 \
    SHIPGATE_OMS_WEBHOOKS__RETRY_SCHEDULE_SECS='[0]' \
    SHIPGATE_RATES__CACHE_TTL_MS=0 \
    SHIPGATE_RATES__SERVICEABILITY_TTL_SECS=0 \
    SHIPGATE_CARRIERS__SHIPROCKET__BREAKER_THRESHOLD=1 \
    SHIPGATE_CARRIERS__CLICKPOST__QUOTA_PER_SECOND=0.6 \
    SHIPGATE_CARRIERS__CLICKPOST__MAX_CONCURRENT_CALLS=2 \
    SHIPGATE_LIMITS__READS__PER_SECOND=1 \
    SHIPGATE_LIMITS__READS__BURST=3
status=0
"$PY" scripts/deploy_check.py metrics "$URL" "$KEY" \
    deploy/prometheus/alerts.yml deploy/grafana/shipgate.json || status=$?
gateway_status=0
stop_gateway || gateway_status=$?
if [ "$status" -ne 0 ] || [ "$gateway_status" -ne 0 ]; then
    log "gateway log (last 30 lines)"
    tail -n 30 "$WORK/gateway.log" >&2
fi
[ "$status" -eq 0 ] || { echo "deploy/ uses metrics or labels the gateway does not export" >&2; exit 1; }
[ "$gateway_status" -eq 0 ] || { echo "the gateway exited with $gateway_status after SIGTERM" >&2; exit 1; }

log "compose file and Kubernetes manifests"
"$VENV/bin/kubernetes-validate" --strict --quiet deploy/kubernetes/*.yaml
"$PY" scripts/deploy_check.py manifests "$BIN" deploy

log "deploy/ checked"
