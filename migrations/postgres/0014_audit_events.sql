-- The audit trail (issue 17): who changed what in a tenant's configuration and
-- operations, when, and from what to what. Only ever inserted. `before_json` and
-- `after_json` are the thing as the API shows it, never a secret. Ids are time-ordered
-- (UUIDv7), so the id alone orders and pages the trail.
CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL,
    at            BIGINT NOT NULL,
    actor         TEXT NOT NULL,
    actor_key_id  TEXT,
    actor_role    TEXT,
    actor_rule    TEXT,
    action        TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     TEXT NOT NULL,
    before_json   TEXT,
    after_json    TEXT,
    request_id    TEXT
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);
