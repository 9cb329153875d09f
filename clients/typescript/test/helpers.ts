/** What the tests share: the client for the gateway they drive (sandbox mode: `SHIPGATE_URL`
 * and an admin `SHIPGATE_API_KEY`, as scripts/clients.sh check sets them) and the README
 * walk-through's shipment with a fresh order reference. */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { shipgateClient, type components } from "../src/index.js";

export type ShipmentRequest = components["schemas"]["ShipmentRequestInput"];
// A booking's answer: `POST /v1/shipments` also answers a dry run (200, DryRunView), so
// its documented success type is a union; a 201 is always a shipment.
export type Shipment = components["schemas"]["ShipmentView"];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

export const client = shipgateClient(env("SHIPGATE_URL"), env("SHIPGATE_API_KEY"));

// Compiled to dist/test/: the repository root is four levels up.
const SHIPMENT: ShipmentRequest = JSON.parse(
  readFileSync(new URL("../../../../examples/shipment.json", import.meta.url), "utf8"),
);

/** The example shipment with a fresh order reference (one order books one AWB). */
export function shipment(prefix: string): ShipmentRequest {
  const body: ShipmentRequest = structuredClone(SHIPMENT);
  body.order_ref = `${prefix}-${randomUUID().slice(0, 12)}`;
  return body;
}

/** The body of an answer with this status, or a failure that shows what came instead. */
export function expectStatus<T>(result: { data?: T; error?: unknown; response: Response }, status: number): T {
  if (result.response.status !== status || result.data === undefined) {
    throw new Error(`expected ${status}, got ${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}
