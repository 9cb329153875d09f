-- Outbound webhooks to the OMS (Standard Webhooks). See src/oms_webhooks/.
--
-- webhook_endpoints: a tenant's receivers. `secret` signs (it has to be kept usable, not
-- hashed: HMAC needs the key); during a rotation `previous_secret` signs too, until
-- `previous_expires_at`. `event_types` is a JSON array, NULL for every type. A disabled
-- endpoint (by its owner, or by the receiver answering 410 Gone) gets nothing new.
CREATE TABLE webhook_endpoints (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants(id),
    url                 TEXT NOT NULL,
    description         TEXT,
    event_types         TEXT,
    secret              TEXT NOT NULL,
    previous_secret     TEXT,
    previous_expires_at BIGINT,
    enabled             INTEGER NOT NULL DEFAULT 1,
    disabled_reason     TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at);

-- One row per event to announce: the payload as signed and sent (`webhook-id` is the
-- id, the same at every retry and for every endpoint). Written in the transaction that
-- stores the event, and only when some endpoint wants it.
CREATE TABLE webhook_messages (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    shipment_id TEXT,
    payload     TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- The outbox proper: one row per (message, endpoint), fanned out when the message is
-- written. state: pending (due at next_attempt_at; claimed by a dispatcher while
-- claimed_until is in the future), succeeded, dead (every attempt failed; replayable),
-- cancelled (the endpoint was disabled).
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'dead', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT NOT NULL DEFAULT 0,
    last_attempt_at BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    completed_at    BIGINT
);
-- Claiming: only what is still to send is indexed, so the index stays small.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
-- An endpoint's deliveries newest first (the API's list, time-range replay).
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at, id);
CREATE INDEX webhook_deliveries_message ON webhook_deliveries (message_id);
-- Purging finished deliveries after the retention period; rows enter it only when they
-- finish, so writing the outbox does not touch it.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (completed_at) WHERE state <> 'pending';

-- Every attempt, as the API shows it: when, the answer's status (NULL when none came),
-- how long it took, the error, the start of the answer's body.
CREATE TABLE webhook_attempts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id      BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at     BIGINT NOT NULL,
    status_code      INTEGER,
    duration_ms      BIGINT NOT NULL,
    outcome          TEXT NOT NULL,
    error            TEXT,
    response_excerpt TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
