/** The README's walk-through (steps 1-7 and 13) through the typed client only: rates,
 * booking, label, tracking, cancel, a failed delivery and its re-attempt, an address score. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { client, expectStatus, shipment, type Shipment, type ShipmentRequest } from "./helpers.js";

async function book(body: ShipmentRequest): Promise<Shipment> {
  return expectStatus(
    await client.POST("/v1/shipments", { body, params: { header: { "Idempotency-Key": `book-${body.order_ref}` } } }),
    201,
  ) as Shipment;
}

test("rates, book, label, tracking, cancel", async () => {
  // 1. Rates from every carrier at once, cheapest first.
  const { order_ref: _ref, carrier: _carrier, ...request } = shipment("SDK");
  const rates = expectStatus(await client.POST("/v1/rates", { body: request }), 200);
  assert.ok(rates.quotes.length > 0, JSON.stringify(rates.errors));
  const totals = rates.quotes.map((q) => q.total.amount);
  assert.deepEqual(totals, [...totals].sort((a, b) => a - b));
  assert.ok(rates.quotes.some((q) => q.carrier === "delhivery"));

  // 2. Book with Delhivery.
  const booked = await book(shipment("SDK"));
  assert.equal(booked.carrier, "delhivery");
  assert.ok(booked.awb);
  const id = booked.id;
  const got = expectStatus(await client.GET("/v1/shipments/{id}", { params: { path: { id } } }), 200);
  assert.equal(got.awb, booked.awb);

  // 3. The label, as PDF and as ZPL.
  const pdf = expectStatus(
    await client.GET("/v1/shipments/{id}/label", {
      params: { path: { id }, query: { format: "pdf" } },
      parseAs: "arrayBuffer",
    }),
    200,
  );
  assert.equal(Buffer.from(pdf).subarray(0, 4).toString(), "%PDF");
  const zpl = expectStatus(
    await client.GET("/v1/shipments/{id}/label", { params: { path: { id }, query: { format: "zpl" } }, parseAs: "text" }),
    200,
  );
  assert.ok(zpl.startsWith("^XA"));

  // 4. Tracking: each call pulls from the carrier; the sandbox moves one scan per call.
  const track = async () =>
    expectStatus(await client.GET("/v1/shipments/{id}/tracking", { params: { path: { id } } }), 200);
  const first = await track();
  const second = await track();
  assert.ok(first.events.length > 0 && second.events.length > first.events.length);
  const stored = expectStatus(
    await client.GET("/v1/tracking/{awb}", { params: { path: { awb: booked.awb! } } }),
    200,
  );
  assert.equal(stored.events.length, second.events.length);

  // 5. Cancel (repeating it is harmless).
  for (const attempt of ["first", "again"]) {
    const cancelled = expectStatus(
      await client.POST("/v1/shipments/{id}/cancel", {
        params: { path: { id }, header: { "Idempotency-Key": `cancel-${attempt}-${id}` } },
      }),
      200,
    );
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.terminal, true);
  }
});

test("a failed delivery and its re-attempt", async () => {
  // 6. A PIN code ending in 99 fails its first delivery attempt in the sandbox.
  const body = shipment("NDR");
  body.to.postal_code = "560099";
  const { id } = await book(body);
  let status = "";
  for (let i = 0; i < 20 && status !== "delivery_failed"; i++) {
    status = expectStatus(await client.GET("/v1/shipments/{id}/tracking", { params: { path: { id } } }), 200).status;
  }
  assert.equal(status, "delivery_failed");
  const queue = expectStatus(await client.GET("/v1/ndr"), 200);
  assert.ok(queue.data.some((entry) => entry.shipment_id === id));

  // 7. Re-attempt: accepted by the carrier.
  const action = expectStatus(
    await client.POST("/v1/shipments/{id}/ndr-actions", {
      params: { path: { id }, header: { "Idempotency-Key": `ndr-${id}` } },
      body: { action: "reattempt" },
    }),
    201,
  );
  assert.equal(action.action, "reattempt");
  const actions = expectStatus(await client.GET("/v1/shipments/{id}/ndr-actions", { params: { path: { id } } }), 200);
  assert.deepEqual(
    actions.data.map((a) => a.id),
    [action.id],
  );
});

test("an address score", async () => {
  // 13. Score an address before booking it.
  const assessment = expectStatus(
    await client.POST("/v1/addresses/check", {
      body: { name: "test", phone: "9999999999", line1: "asdf", city: "Mumbai", state: "Karnataka", postal_code: "560001" },
    }),
    200,
  );
  assert.ok(assessment.score < 50);
  assert.ok(assessment.reasons.length > 0);
});
