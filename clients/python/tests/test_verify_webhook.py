"""examples/verify_webhook.py against a real webhook: an endpoint registered at a receiver
in this process, a booking that sends `shipment.created` to it, the request verified with
the example's code; the same request with a changed body, or under another secret, fails."""

import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import expect, shipment
from shipgate_client.api.shipments import create_shipment
from shipgate_client.api.webhooks import create_webhook_endpoint, delete_webhook_endpoint
from shipgate_client.models import EndpointInput, ShipmentRequestInput
from standardwebhooks.webhooks import WebhookVerificationError
from verify_webhook import verify


@pytest.fixture
def receiver():
    """A local endpoint that keeps every request's headers and raw body and answers 204."""
    received: queue.Queue = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            received.put((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/shipgate", received
    server.shutdown()
    server.server_close()


def wait_for(received: queue.Queue, shipment_id: str) -> tuple[dict, bytes]:
    """The first request about this shipment, within 30 s (the dispatcher sends at once)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            headers, body = received.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if json.loads(body)["data"]["shipment"]["id"] == shipment_id:
            return headers, body
    raise AssertionError(f"no webhook about {shipment_id} within 30 s")


def test_a_real_webhook_verifies_and_a_tampered_one_does_not(client, receiver):
    url, received = receiver
    endpoint = expect(
        create_webhook_endpoint.sync_detailed(
            client=client, body=EndpointInput.from_dict({"url": url, "event_types": ["shipment.created"]})
        ),
        201,
    )
    try:
        body = shipment("HOOK")
        booked = expect(create_shipment.sync_detailed(client=client, body=ShipmentRequestInput.from_dict(body)), 201)
        headers, raw = wait_for(received, booked.id)

        event = verify(endpoint.secret, headers, raw)
        assert event["type"] == "shipment.created"
        assert event["data"]["shipment"]["awb"] == booked.awb

        tampered = raw.replace(booked.awb.encode(), b"X" + booked.awb.encode()[1:])
        assert tampered != raw
        with pytest.raises(WebhookVerificationError):
            verify(endpoint.secret, headers, tampered)
        with pytest.raises(WebhookVerificationError):
            verify("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", headers, raw)
    finally:
        expect(delete_webhook_endpoint.sync_detailed(endpoint.id, client=client), 204)
