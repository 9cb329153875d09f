-- bench/floor/run: one intake batch of 25 pushes, as the gateway writes it, in the cheapest statements:
-- set-based, no parameters to parse, one round trip each.
\set base random(1, :shipments - 25)
\set now 1765000000000 + random(1, 1000000000)
BEGIN;
SELECT awb, id FROM shipments WHERE carrier = 'delhivery' AND awb IN (SELECT awb FROM floor_ids WHERE n BETWEEN :base AND :base + 24);
SELECT id, carrier, status, sub_status, last_event_at, ndr_attempts, tenant_id, order_ref, awb, kind, tracking_token FROM shipments WHERE id IN (SELECT id FROM floor_ids WHERE n BETWEEN :base AND :base + 24) ORDER BY id FOR UPDATE;
SELECT shipment_id, tenant_id, day, carrier FROM shipment_scores WHERE shipment_id IN (SELECT id FROM floor_ids WHERE n BETWEEN :base AND :base + 24);
INSERT INTO carrier_inbox (carrier, body_sha256, body, headers, received_at, state, error, processed_at, attempts, retry_at, carrier_account)
  SELECT 'delhivery', md5(random()::text || n), convert_to(b.body, 'UTF8'), '[["content-type","application/json"],["x-delhivery-signature","9b2c1f0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c"]]', :now, 'processed', NULL, :now, 1, 0, NULL
  FROM floor_ids, floor_body b WHERE n BETWEEN :base AND :base + 24;
INSERT INTO tracking_events (shipment_id, dedupe_key, status, sub_status, carrier_code, carrier_status, description, location, event_time, received_at, attempt, ndr_reason, action_required, terminal)
  SELECT id, md5(random()::text || n), 'in_transit', 'in_transit', 'UD', 'In Transit', 'Shipment Received at Facility', 'Gurgaon_Bilaspur_HB (Haryana)', :now + n, :now, NULL, NULL, 0, 0
  FROM floor_ids WHERE n BETWEEN :base AND :base + 24;
WITH m AS (
  INSERT INTO webhook_messages (id, tenant_id, event_type, shipment_id, payload, created_at)
  SELECT 'msg_' || md5(random()::text || n), f.tenant_id, 'shipment.tracking_updated', f.id, p.payload, :now
  FROM floor_ids f, floor_payload p WHERE n BETWEEN :base AND :base + 24 RETURNING id)
INSERT INTO webhook_deliveries (message_id, endpoint_id, state, attempts, next_attempt_at, created_at)
  SELECT m.id, (SELECT id FROM webhook_endpoints LIMIT 1), 'pending', 0, :now, :now FROM m;
UPDATE shipments SET status = 'in_transit', sub_status = 'in_transit', ndr_attempts = shipments.ndr_attempts, last_event_at = :now
  FROM floor_ids f WHERE f.n BETWEEN :base AND :base + 24 AND shipments.id = f.id;
COMMIT;
