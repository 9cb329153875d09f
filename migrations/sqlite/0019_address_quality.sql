-- Address quality (issue 17): every booking's destination is scored before the carrier
-- is called. address_score (0-100) and address_band (good, fair, poor) are what lists and
-- reports filter and group by; address_quality is the whole finding as JSON (score, band,
-- reasons at their pointers, and what the tenant's address policy made of it). NULL for
-- shipments booked before this migration.
ALTER TABLE shipments ADD COLUMN address_score INTEGER;
ALTER TABLE shipments ADD COLUMN address_band TEXT
    CHECK (address_band IS NULL OR address_band IN ('good', 'fair', 'poor'));
ALTER TABLE shipments ADD COLUMN address_quality TEXT;
-- `GET /v1/shipments?address_band=` pages newest first within a band.
CREATE INDEX shipments_tenant_band_created ON shipments (tenant_id, address_band, created_at, id);

-- Address policies, versioned per tenant like the selection rules and NDR policies
-- (store/rule_sets.rs): what a low score does to a booking (block it, refuse cash on
-- delivery, or flag it).
CREATE TABLE address_policies (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    version     BIGINT NOT NULL,
    rules_json  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, version)
);
