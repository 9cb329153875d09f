-- bench/floor/run: 25 keyed bookings as the gateway writes them, in the cheapest statements: the
-- reservation in one transaction, the carrier's confirmation and everything it announces
-- in a second (the carrier call sits between them).
\set now 1765000000000 + random(1, 1000000000)
\set tag random(1, 2000000000)
BEGIN;
INSERT INTO shipments (id, tenant_id, order_ref, package_no, carrier, service, awb, status, sub_status, kind, booking_state, label_format, request_json, carrier_refs, routing_code, charged_amount, charged_currency, failure, created_at, updated_at, ndr_attempts, last_event_at, carrier_account, selection_json, address_score, address_band, address_quality, estimated_delivery, tracking_token, buyer_phone)
  SELECT 'shp_' || :tag || '_' || g, t.tenant_id, 'FLOOR-' || :tag || '-' || g, 1, t.carrier, t.service, NULL, 'created', 'created', t.kind, 'reserving', t.label_format, t.request_json, '{}', NULL, NULL, NULL, NULL, :now, :now, 0, NULL, t.carrier_account, NULL, t.address_score, t.address_band, t.address_quality, NULL, NULL, t.buyer_phone
  FROM floor_template t, generate_series(1, 25) g;
COMMIT;
BEGIN;
UPDATE shipments SET awb = 'FL' || :tag || lpad(split_part(shipments.id, '_', 3), 4, '0'), service = 'surface', carrier_refs = t.carrier_refs, routing_code = t.routing_code, charged_amount = t.charged_amount, charged_currency = t.charged_currency, booking_state = 'confirmed', status = 'booked', sub_status = 'booked', updated_at = :now + 1, estimated_delivery = t.estimated_delivery, tracking_token = md5(shipments.id)
  FROM floor_template t WHERE shipments.id IN (SELECT 'shp_' || :tag || '_' || g FROM generate_series(1, 25) g);
INSERT INTO tracking_events (shipment_id, dedupe_key, status, sub_status, carrier_code, carrier_status, description, location, event_time, received_at, attempt, ndr_reason, action_required, terminal)
  SELECT 'shp_' || :tag || '_' || g, 'booked', 'booked', 'booked', 'booked', 'Booked', 'Shipment booked', NULL, :now, :now, NULL, NULL, 0, 0 FROM generate_series(1, 25) g;
INSERT INTO tracking_polls (shipment_id, carrier_account, next_poll_at) SELECT 'shp_' || :tag || '_' || g, 'delhivery', :now + 3600000 FROM generate_series(1, 25) g ON CONFLICT (shipment_id) DO NOTHING;
INSERT INTO shipment_scores (shipment_id, tenant_id, carrier, carrier_account, origin, destination, day, currency, cost, promised, booked_at)
  SELECT 'shp_' || :tag || '_' || g, s.tenant_id, s.carrier, s.carrier_account, s.origin, s.destination, s.day, s.currency, s.cost, s.promised, :now FROM floor_score s, generate_series(1, 25) g;
WITH m AS (
  INSERT INTO webhook_messages (id, tenant_id, event_type, shipment_id, payload, created_at)
  SELECT 'msg_' || :tag || '_' || g, t.tenant_id, 'shipment.booked', 'shp_' || :tag || '_' || g, p.payload, :now FROM floor_template t, floor_payload p, generate_series(1, 25) g RETURNING id)
INSERT INTO webhook_deliveries (message_id, endpoint_id, state, attempts, next_attempt_at, created_at)
  SELECT m.id, (SELECT id FROM webhook_endpoints LIMIT 1), 'pending', 0, :now, :now FROM m;
INSERT INTO carrier_daily (tenant_id, day, carrier, carrier_account, origin, destination, currency, shipments)
  SELECT tenant_id, day, carrier, carrier_account, origin, destination, currency, 25 FROM floor_score
  ON CONFLICT (tenant_id, day, carrier, carrier_account, origin, destination, currency) DO UPDATE SET shipments = carrier_daily.shipments + EXCLUDED.shipments;
COMMIT;
