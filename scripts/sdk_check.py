#!/usr/bin/env python3
"""SDK check: validates the running gateway's /openapi.json (openapi-spec-validator, OpenAPI
3.1), generates a Python client from it with openapi-python-client, fails on any generator
warning, then drives the sandbox through the generated client only: rates -> book ->
label -> tracking -> cancel.

Usage: scripts/sdk_check.py URL API_KEY   (the gateway in sandbox mode)
Needs openapi-python-client on PATH and openapi-spec-validator importable (scripts/contract.sh
installs both in its venv).
"""

import importlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(msg):
    print(f"sdk check: {msg}", file=sys.stderr)
    sys.exit(1)


def generate(url, work):
    doc_path = os.path.join(work, "openapi.json")
    with urllib.request.urlopen(f"{url}/openapi.json") as r, open(doc_path, "wb") as f:
        f.write(r.read())
    from openapi_spec_validator import OpenAPIV31SpecValidator
    errors = list(OpenAPIV31SpecValidator(json.load(open(doc_path))).iter_errors())
    if errors:
        fail(f"the document is not valid OpenAPI 3.1 ({len(errors)} errors); first: {errors[0].message}")
    print("sdk check: the document validates as OpenAPI 3.1")
    out = subprocess.run(
        ["openapi-python-client", "generate", "--path", doc_path, "--meta", "none",
         "--output-path", os.path.join(work, "shipgate_client"),
         "--config", os.path.join(ROOT, "sdk", "openapi-python-client.yaml")],
        capture_output=True, text=True)
    text = out.stdout + out.stderr
    if out.returncode != 0 or "WARNING" in text or "Warning" in text:
        fail(f"the generator was not clean (exit {out.returncode}):\n{text}")
    operations = sum(
        1 for _, _, files in os.walk(os.path.join(work, "shipgate_client", "api"))
        for f in files if f.endswith(".py") and f != "__init__.py")
    doc = json.load(open(doc_path))
    documented = sum(
        1 for item in doc["paths"].values() for m in item if m in ("get", "put", "post", "delete", "patch"))
    if operations != documented:
        fail(f"the client has {operations} operations, the document {documented}")
    print(f"sdk check: client generated with no warning, {operations} operations")


def expect(response, status, what):
    if response.status_code != status:
        fail(f"{what}: expected {status}, got {response.status_code}: {response.content[:500]!r}")
    return response.parsed


def drive(url, key):
    from shipgate_client import AuthenticatedClient
    from shipgate_client.api.rates import quote_rates
    from shipgate_client.api.shipments import cancel_shipment, create_shipment, get_shipment_label
    from shipgate_client.api.tracking import refresh_tracking
    from shipgate_client.models import LabelFormat, RateRequestInput, ShipmentRequestInput

    client = AuthenticatedClient(base_url=url, token=key, raise_on_unexpected_status=True)
    warehouse = {"name": "Shipgate Warehouse", "phone": "9000000001", "line1": "Plot 4, Industrial Area",
                 "city": "New Delhi", "state": "Delhi", "postal_code": "110020"}
    buyer = {"name": "Asha Rao", "phone": "+91 98765 43210", "line1": "12 MG Road",
             "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001"}
    parcel = {"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
              "declared_value": {"amount": 49900, "currency": "INR"}, "description": "Cotton kurta"}
    rates = expect(quote_rates.sync_detailed(client=client, body=RateRequestInput.from_dict(
        {"from": warehouse, "to": buyer, "parcels": [parcel], "payment": {"mode": "prepaid"}})),
        200, "rates")
    if not rates.quotes:
        fail("no quotes")
    cheapest = rates.quotes[0]
    carrier = "delhivery" if any(q.carrier == "delhivery" for q in rates.quotes) else cheapest.carrier
    print(f"sdk check: {len(rates.quotes)} quotes, cheapest {cheapest.carrier} {cheapest.total.amount}")

    order = f"SDK-{uuid.uuid4().hex[:12]}"
    booked = expect(create_shipment.sync_detailed(
        client=client, idempotency_key=f"sdk-{order}",
        body=ShipmentRequestInput.from_dict({"order_ref": order, "carrier": carrier, "from": warehouse,
                                             "to": buyer, "parcels": [parcel],
                                             "payment": {"mode": "prepaid"}})),
        201, "book")
    print(f"sdk check: booked {booked.id} with {booked.carrier}, AWB {booked.awb}")

    label = expect(get_shipment_label.sync_detailed(booked.id, client=client, format_=LabelFormat.PDF),
                   200, "label")
    data = label.payload.read() if hasattr(label, "payload") else label
    if not bytes(data).startswith(b"%PDF"):
        fail("the label is not a PDF")
    tracking = expect(refresh_tracking.sync_detailed(booked.id, client=client), 200, "tracking")
    if not tracking.events:
        fail("no tracking events")
    cancelled = expect(cancel_shipment.sync_detailed(booked.id, client=client,
                                                     idempotency_key=f"sdk-cancel-{order}"),
                       200, "cancel")
    if str(cancelled.status) != "cancelled" and getattr(cancelled.status, "value", None) != "cancelled":
        fail(f"not cancelled: {cancelled.status}")
    print("sdk check: rates, booking, label, tracking and cancel passed through the generated client")


def main():
    if len(sys.argv) != 3:
        fail("usage: sdk_check.py URL API_KEY")
    url, key = sys.argv[1].rstrip("/"), sys.argv[2]
    with tempfile.TemporaryDirectory() as work:
        generate(url, work)
        sys.path.insert(0, work)
        importlib.invalidate_caches()
        drive(url, key)


if __name__ == "__main__":
    main()
