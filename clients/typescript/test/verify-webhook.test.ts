/** examples/verify-webhook.ts against a real webhook: an endpoint registered at a receiver in
 * this process, a booking that sends `shipment.created` to it, the request verified with the
 * example's code; the same request with a changed body, or under another secret, fails. */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { WebhookVerificationError } from "standardwebhooks";
import { verify } from "../examples/verify-webhook.js";
import { client, expectStatus, shipment, type Shipment } from "./helpers.js";

type Received = { headers: IncomingHttpHeaders; body: string };

test("a real webhook verifies and a tampered one does not", async () => {
  // A local endpoint that keeps every request's headers and raw body and answers 204.
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shipgate`;
  const endpoint = expectStatus(
    await client.POST("/v1/webhook-endpoints", { body: { url, event_types: ["shipment.created"] } }),
    201,
  );
  // Shown in this answer only (absent when it replays an earlier one).
  const secret = endpoint.secret;
  assert.ok(secret);
  try {
    const booked = expectStatus(await client.POST("/v1/shipments", { body: shipment("HOOK") }), 201) as Shipment;
    const awb = booked.awb!;

    // The first request about this shipment, within 30 s (the dispatcher sends at once).
    let request: Received | undefined;
    for (const deadline = Date.now() + 30_000; !request && Date.now() < deadline; ) {
      request = received.find((r) => JSON.parse(r.body).data.shipment.id === booked.id);
      if (!request) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(request, `no webhook about ${booked.id} within 30 s`);

    const message = verify(secret, request.headers, request.body);
    assert.equal(message.type, "shipment.created");
    assert.equal(message.data.shipment.awb, awb);

    const tampered = request.body.replace(awb, `X${awb.slice(1)}`);
    assert.notEqual(tampered, request.body);
    assert.throws(() => verify(secret, request.headers, tampered), WebhookVerificationError);
    const otherSecret = `whsec_${Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZ").toString("base64")}`;
    assert.throws(() => verify(otherSecret, request.headers, request.body), WebhookVerificationError);
  } finally {
    const gone = await client.DELETE("/v1/webhook-endpoints/{id}", { params: { path: { id: endpoint.id } } });
    assert.equal(gone.response.status, 204);
    server.close();
  }
});
