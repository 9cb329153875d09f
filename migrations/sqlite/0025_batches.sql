-- Bulk booking (issue 21): a batch of shipment requests accepted at once and booked in the
-- background. Each item's state lives here, so a process that dies mid-batch loses
-- nothing: an item it had claimed (`booking`) is taken again once its lease lapses, and
-- booking it again is safe because shipments are unique by (tenant, order_ref, package).
CREATE TABLE batches (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    source       TEXT NOT NULL,
    state        TEXT NOT NULL,
    total        BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    started_at   BIGINT,
    finished_at  BIGINT
);
CREATE INDEX batches_tenant ON batches (tenant_id, created_at, id);
-- The batches still being worked, for the worker's completion check.
CREATE INDEX batches_open ON batches (state);

CREATE TABLE batch_items (
    batch_id      TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    idx           BIGINT NOT NULL,
    tenant_id     TEXT NOT NULL,
    row_no        BIGINT,
    order_ref     TEXT,
    carrier       TEXT,
    state         TEXT NOT NULL,
    request_json  TEXT,
    errors_json   TEXT,
    problem_json  TEXT,
    shipment_id   TEXT,
    awb           TEXT,
    attempts      BIGINT NOT NULL DEFAULT 0,
    not_before    BIGINT NOT NULL DEFAULT 0,
    claimed_at    BIGINT,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (batch_id, idx)
);
-- The worker's queue: queued items due now, booking items whose lease lapsed, pending
-- items to settle.
CREATE INDEX batch_items_work ON batch_items (state, not_before);
