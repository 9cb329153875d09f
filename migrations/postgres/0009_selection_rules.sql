-- Carrier selection rules, versioned per tenant: every upload is a new row and the
-- active set is the tenant's highest version, so history is never rewritten and a
-- recommendation can name the exact version it followed. `rules_json` is the validated,
-- normalised set (the shape `GET /v1/selection-rules` returns).
CREATE TABLE selection_rule_sets (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    version     BIGINT NOT NULL,
    rules_json  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

-- How an `auto` booking chose its carrier: rule set version, reasons and every carrier
-- tried with its outcome (JSON). NULL for shipments booked with a named carrier.
ALTER TABLE shipments ADD COLUMN selection_json TEXT;
