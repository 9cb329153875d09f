-- What push.sql and create.sql read their values from: the bench's own shipments, the
-- last push body and webhook payload it stored, one booked shipment and its scorecard row.
DROP TABLE IF EXISTS floor_ids, floor_body, floor_payload, floor_template, floor_score;
CREATE TABLE floor_ids AS
  SELECT row_number() OVER (ORDER BY random())::int AS n, id, awb, tenant_id FROM shipments WHERE awb IS NOT NULL;
CREATE UNIQUE INDEX ON floor_ids (n);
CREATE TABLE floor_body AS SELECT convert_from(body, 'UTF8') AS body FROM carrier_inbox ORDER BY id DESC LIMIT 1;
CREATE TABLE floor_payload AS SELECT payload FROM webhook_messages ORDER BY created_at DESC LIMIT 1;
CREATE TABLE floor_template AS SELECT * FROM shipments WHERE booking_state = 'confirmed' LIMIT 1;
CREATE TABLE floor_score AS SELECT * FROM shipment_scores LIMIT 1;
ANALYZE;
