-- Indexes for the ops queries (GET /v1/shipments, /v1/shipments/summary, /v1/tracking/{awb}).

-- Lists are keyset-paginated newest first by (created_at, id) within a tenant: with the
-- id in the index the database seeks to a page's position and reads rows already in
-- order, with no sort. It extends (tenant_id, created_at), which it replaces.
CREATE INDEX shipments_tenant_created_id ON shipments (tenant_id, created_at, id);
DROP INDEX shipments_tenant_created;

-- Work queues by status (every delivery_failed shipment, every exception) and by
-- sub-status (action_required is a list of sub-statuses), newest first.
CREATE INDEX shipments_tenant_status ON shipments (tenant_id, status, created_at, id);
CREATE INDEX shipments_tenant_sub_status ON shipments (tenant_id, sub_status, created_at, id);

-- AWB lookup without a carrier, which the (carrier, awb) index cannot serve.
CREATE INDEX shipments_tenant_awb ON shipments (tenant_id, awb);
