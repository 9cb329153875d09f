-- The buyer's phone search key (its last ten digits) becomes a column the gateway writes
-- at booking (store::buyer_phone_key), instead of an index over an expression that read
-- the stored request's JSON on every shipment insert. Rows booked before get the key from
-- the expression the old index used: stored phones are in E.164 (`+` and digits), so it
-- gives the same key as the gateway.
ALTER TABLE shipments ADD COLUMN buyer_phone TEXT;
UPDATE shipments
   SET buyer_phone = substr(replace(replace(replace(replace(replace(replace(json_extract(request_json, '$.to.phone'), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), -10);
DROP INDEX shipments_tenant_buyer_phone;
CREATE INDEX shipments_tenant_buyer_phone ON shipments (tenant_id, buyer_phone, created_at, id);

-- A reservation has no AWB and no promised date until the carrier confirms it, and every
-- query by either compares it to a value (which no NULL matches): the indexes on them
-- leave out the rows without one, so a reservation is not written to them.
DROP INDEX shipments_awb;
CREATE INDEX shipments_awb ON shipments (carrier, awb) WHERE awb IS NOT NULL;
DROP INDEX shipments_tenant_awb_created;
CREATE INDEX shipments_tenant_awb_created ON shipments (tenant_id, awb, created_at, id) WHERE awb IS NOT NULL;
DROP INDEX shipments_tenant_estimated;
CREATE INDEX shipments_tenant_estimated ON shipments (tenant_id, estimated_delivery) WHERE estimated_delivery IS NOT NULL;
