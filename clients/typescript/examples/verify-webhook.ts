/**
 * Verify a shipgate webhook (Standard Webhooks) before trusting it.
 *
 * shipgate signs every request it sends to an OMS webhook endpoint: `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`, keyed by the endpoint's `whsec_…` secret). Verify the raw body, as
 * received, before parsing it; deduplicate on `webhook-id` (retries carry the same one).
 *
 * Run it as a tiny receiver (after `npm run build`):
 *
 *     SHIPGATE_WEBHOOK_SECRET=whsec_... node dist/examples/verify-webhook.js 8000
 *
 * then register `http://<this host>:8000/` as an endpoint (`POST /v1/webhook-endpoints`).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { pathToFileURL } from "node:url";
import { Webhook } from "standardwebhooks";
import type { components } from "../src/index.js";

type Schemas = components["schemas"];
/**
 * Any message shipgate sends: `type`, `timestamp`, and `data` with the `shipment` and, by
 * type, its `event`, `ndr_action`, `return`… (the document's `webhooks` give each type's body).
 */
export type WebhookMessage = Omit<Schemas["EventMessage"], "data"> & {
  data: { shipment: Schemas["ShipmentSummary"] } & Record<string, unknown>;
};

/**
 * The message if the signature is good and the timestamp recent (5 minutes); throws
 * `WebhookVerificationError` otherwise. During a secret rotation the header carries two
 * signatures: either secret verifies it.
 */
export function verify(secret: string, headers: IncomingHttpHeaders, body: string | Buffer): WebhookMessage {
  const wanted: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const value = headers[name];
    if (typeof value === "string") wanted[name] = value;
  }
  return new Webhook(secret).verify(body, wanted) as WebhookMessage;
}

function serve(secret: string, port: number): void {
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        const message = verify(secret, req.headers, Buffer.concat(chunks));
        // 2xx tells shipgate it was delivered; anything else is retried.
        res.writeHead(204).end();
        console.log(JSON.stringify({ id: req.headers["webhook-id"], type: message.type }));
      } catch (e) {
        res.writeHead(401).end();
        console.error(`refused: ${(e as Error).message}`);
      }
    });
  }).listen(port);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve(process.env.SHIPGATE_WEBHOOK_SECRET ?? "", Number(process.argv[2] ?? 8000));
}
