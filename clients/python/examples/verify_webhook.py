"""Verify a shipgate webhook (Standard Webhooks) before trusting it.

shipgate signs every request it sends to an OMS webhook endpoint: `webhook-id`,
`webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
keyed by the endpoint's `whsec_…` secret). Verify the raw body, as received, before parsing
it; deduplicate on `webhook-id` (retries carry the same one).

Run it as a tiny receiver:

    SHIPGATE_WEBHOOK_SECRET=whsec_... python verify_webhook.py 8000

then register `http://<this host>:8000/` as an endpoint (`POST /v1/webhook-endpoints`).
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def verify(secret: str, headers: dict[str, str], body: bytes) -> dict:
    """The event if the signature is good and the timestamp recent (5 minutes); raises
    `WebhookVerificationError` otherwise. During a secret rotation the header carries two
    signatures: either secret verifies it."""
    return Webhook(secret).verify(body, headers)


def serve(secret: str, port: int) -> None:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            try:
                event = verify(secret, dict(self.headers), body)
            except WebhookVerificationError as e:
                self.send_response(401)
                self.end_headers()
                print(f"refused: {e}", file=sys.stderr)
                return
            # 2xx tells shipgate it was delivered; anything else is retried.
            self.send_response(204)
            self.end_headers()
            print(json.dumps({"id": self.headers["webhook-id"], "type": event["type"]}))

    ThreadingHTTPServer(("0.0.0.0", port), Receiver).serve_forever()


if __name__ == "__main__":
    serve(os.environ["SHIPGATE_WEBHOOK_SECRET"], int(sys.argv[1]) if len(sys.argv) > 1 else 8000)
