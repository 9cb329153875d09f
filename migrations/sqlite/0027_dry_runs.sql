-- Dry runs (issue 21, item 5): what shipgate would have booked for an order, kept so a
-- week of running side by side with the OMS's own carrier choices can be compared
-- (`POST /v1/parallel-run/compare`). Pruned after `SHIPGATE_DRY_RUNS__RETENTION_DAYS`.
-- `answer` is the dry run as the API showed it; `request` the parsed booking request
-- (for the label specimen); the other columns are what comparisons read.
CREATE TABLE dry_runs (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id),
    order_ref          TEXT NOT NULL,
    from_postal_code   TEXT NOT NULL,
    to_postal_code     TEXT NOT NULL,
    weight_g           BIGINT NOT NULL,
    payment_mode       TEXT NOT NULL,
    carrier_account    TEXT NOT NULL,
    carrier            TEXT NOT NULL,
    service            TEXT,
    total_amount       BIGINT,
    currency           TEXT,
    estimated_delivery TEXT,
    reason             TEXT NOT NULL,
    request            TEXT NOT NULL,
    answer             TEXT NOT NULL,
    created_at         BIGINT NOT NULL
);
CREATE INDEX dry_runs_tenant_order ON dry_runs (tenant_id, order_ref, created_at);
CREATE INDEX dry_runs_created ON dry_runs (created_at);
