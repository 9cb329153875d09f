"""What the tests share besides the client: the README walk-through's shipment, fresh."""

import json
import pathlib
import uuid

# The README walk-through's shipment.
SHIPMENT = json.loads((pathlib.Path(__file__).resolve().parents[3] / "examples" / "shipment.json").read_text())


def shipment(prefix: str) -> dict:
    """The example shipment with a fresh order reference (one order books one AWB)."""
    body = json.loads(json.dumps(SHIPMENT))
    body["order_ref"] = f"{prefix}-{uuid.uuid4().hex[:12]}"
    return body


def expect(response, status: int):
    """The parsed body of an answer with this status."""
    assert response.status_code == status, f"{response.status_code}: {response.content[:500]!r}"
    return response.parsed
