-- Times are Unix milliseconds (UTC), ids text and flags 0/1 integers: the types that
-- SQLite, PostgreSQL and sqlx's Any driver all share, so one set of queries serves both.
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    role        TEXT NOT NULL CHECK (role IN ('admin', 'write', 'read')),
    key_hash    TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    label       TEXT,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE shipments (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    order_ref     TEXT NOT NULL,
    package_no    INTEGER NOT NULL,
    carrier       TEXT NOT NULL,
    service       TEXT,
    awb           TEXT,
    status        TEXT NOT NULL,
    sub_status    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    booking_state TEXT NOT NULL,
    label_format  TEXT NOT NULL,
    request_json  TEXT NOT NULL,
    carrier_refs  TEXT NOT NULL,
    routing_code  TEXT,
    charged_amount BIGINT,
    charged_currency TEXT,
    failure       TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (tenant_id, order_ref, package_no)
);
CREATE INDEX shipments_tenant_created ON shipments (tenant_id, created_at);
CREATE INDEX shipments_awb ON shipments (carrier, awb);
CREATE INDEX shipments_booking ON shipments (booking_state, updated_at);

CREATE TABLE labels (
    shipment_id TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    format      TEXT NOT NULL,
    content     BLOB NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (shipment_id, format)
);

CREATE TABLE tracking_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shipment_id     TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    dedupe_key      TEXT NOT NULL,
    status          TEXT NOT NULL,
    sub_status      TEXT NOT NULL,
    carrier_code    TEXT NOT NULL,
    carrier_status  TEXT NOT NULL,
    description     TEXT,
    location        TEXT,
    event_time      BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,
    attempt         INTEGER,
    ndr_reason      TEXT,
    action_required INTEGER NOT NULL,
    terminal        INTEGER NOT NULL,
    UNIQUE (shipment_id, dedupe_key)
);
CREATE INDEX tracking_events_timeline ON tracking_events (shipment_id, event_time);
