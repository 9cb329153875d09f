-- Lookups by AWB, order reference and carrier, newest first (GET /v1/tracking/{awb} and
-- the filters of GET /v1/shipments).
--
-- With only (tenant_id, awb), SQLite preferred (tenant_id, created_at, id) because it
-- yields the ORDER BY for free, and then read every shipment of the tenant to find one
-- AWB: a lookup cost grew with the tenant's history (measured by bench/run: 3,000 lookups/s
-- at 50 shipments, 600/s at 2,000). An index that serves both the equality and the order
-- is the one the planner takes, on either engine, with or without statistics.
DROP INDEX shipments_tenant_awb;
CREATE INDEX shipments_tenant_awb_created ON shipments (tenant_id, awb, created_at, id);
CREATE INDEX shipments_tenant_order_created ON shipments (tenant_id, order_ref, created_at, id);
CREATE INDEX shipments_tenant_carrier_created ON shipments (tenant_id, carrier, created_at, id);
