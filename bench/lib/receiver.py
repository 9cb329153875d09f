"""An OMS webhook receiver for the benchmarks: answers every POST 204 at once, counts each
`webhook-id` it was sent (so a test can see what never came and what came twice) and checks
the Standard Webhooks signature (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`) with the
endpoint's secret. Runs on threads inside the benchmark's own process.
"""

import base64
import collections
import hashlib
import hmac
import http.server
import threading


class Server(http.server.ThreadingHTTPServer):
    # Every gateway opens up to max_in_flight connections at once: with socketserver's
    # default backlog of 5, connections wait in SYN retries long enough to time out.
    request_queue_size = 1024
    daemon_threads = True


class Receiver:
    """Listens on 127.0.0.1:`port`; `secret` (whsec_…) is set once the endpoint exists."""

    def __init__(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/oms"
        self.lock = threading.Lock()
        self.seen = collections.Counter()
        self.bad_signatures = 0
        self.key = None
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.record(self.headers.get("webhook-id", ""), self.headers.get("webhook-timestamp", ""),
                                self.headers.get("webhook-signature", ""), body)
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = Server(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def set_secret(self, secret):
        self.key = base64.b64decode(secret.removeprefix("whsec_"))

    def record(self, msg_id, timestamp, signatures, body):
        valid = self.key is None or self.verify(msg_id, timestamp, signatures, body)
        with self.lock:
            self.seen[msg_id] += 1
            if not valid:
                self.bad_signatures += 1

    def verify(self, msg_id, timestamp, signatures, body):
        expected = base64.b64encode(hmac.new(self.key, f"{msg_id}.{timestamp}.".encode() + body,
                                             hashlib.sha256).digest()).decode()
        return any(s.startswith("v1,") and hmac.compare_digest(s[3:], expected) for s in signatures.split())

    def snapshot(self):
        """(deliveries received, {webhook-id: times}, bad signatures) so far."""
        with self.lock:
            return sum(self.seen.values()), dict(self.seen), self.bad_signatures
