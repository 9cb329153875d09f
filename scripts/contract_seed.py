"""Creates real resources in a running gateway and writes a schemathesis config that uses
their ids, so the contract check reaches past the 404 of made-up ids: a booked shipment
(and its label, tracking, cancellation), a webhook endpoint and one of its messages.

Usage: contract_seed.py BASE_URL API_KEY OUT_TOML
"""

import json
import sys
import urllib.request
import uuid

base, key, out = sys.argv[1], sys.argv[2], sys.argv[3]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


endpoint = call(
    "POST",
    "/v1/webhook-endpoints",
    # Nothing listens there: deliveries fail and are retried, which is what a fuzzed
    # replay should meet.
    {"url": "http://127.0.0.1:9/hooks", "description": "contract check"},
)
address = {"name": "Asha Rao", "phone": "+91 98765 43210", "line1": "12 MG Road",
           "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001"}
shipment = call("POST", "/v1/shipments", {
    "order_ref": f"CONTRACT-{uuid.uuid4().hex}",
    "carrier": "delhivery",
    "from": {"name": "Shipgate Warehouse", "phone": "9000000001",
             "line1": "Plot 4, Industrial Area", "city": "New Delhi", "state": "Delhi",
             "postal_code": "110020"},
    "to": address,
    "parcels": [{"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
                 "declared_value": {"amount": 49900, "currency": "INR"}}],
    "payment": {"mode": "prepaid"},
})
messages = call("GET", f"/v1/webhook-endpoints/{endpoint['id']}/messages")["data"]
# The booking wrote `shipment.created` to the outbox for the endpoint.
message_id = messages[0]["message_id"]

blocks = [
    ("^/v1/shipments/\\{id\\}", {"id": shipment["id"]}),
    ("^/v1/tracking/\\{awb\\}$", {"awb": shipment["awb"]}),
    ("^/v1/webhook-endpoints/\\{id\\}", {"id": endpoint["id"]}),
    ("^/v1/webhook-messages/\\{id\\}", {"id": message_id}),
]
with open(out, "w") as f:
    for regex, params in blocks:
        f.write("[[operations]]\n")
        f.write(f"include-path-regex = {json.dumps(regex)}\n")
        f.write("parameters = { " + ", ".join(
            f"{json.dumps(k)} = {json.dumps(v)}" for k, v in params.items()) + " }\n\n")
print(f"seeded shipment {shipment['id']}, endpoint {endpoint['id']}, message {message_id}",
      file=sys.stderr)
