-- Returns (issue 17): a customer return is a shipment of kind 'reverse'. Lists filter by
-- kind (`GET /v1/shipments?kind=reverse`), so the tenant's shipments are indexed by it in
-- the lists' newest-first order. A return books under its order's reference with a
-- negative package number (store/returns.rs), so the (tenant, order_ref, package_no) key
-- stays as it is.
CREATE INDEX shipments_tenant_kind_created ON shipments (tenant_id, kind, created_at, id);
