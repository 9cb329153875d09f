-- Pickup locations, pickups and manifests (issue 17).
--
-- A pickup location is a tenant's warehouse, registered once in shipgate and then with
-- each of the tenant's carrier accounts that takes pickups (one registration row per
-- account: registered with the carrier's name and id for it, or failed with the
-- carrier's words, retried on request).
CREATE TABLE pickup_locations (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    name            TEXT NOT NULL,
    address_json    TEXT NOT NULL,
    postal_code     TEXT NOT NULL,
    hours_from      TEXT,
    hours_to        TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
-- One active location per name and tenant.
CREATE UNIQUE INDEX pickup_locations_name ON pickup_locations (tenant_id, name) WHERE active = 1;

CREATE TABLE pickup_location_accounts (
    location_id     TEXT NOT NULL REFERENCES pickup_locations(id) ON DELETE CASCADE,
    account         TEXT NOT NULL,
    carrier         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'registered', 'failed')),
    carrier_name    TEXT NOT NULL,
    carrier_id      TEXT,
    carrier_active  INTEGER,
    carrier_message TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (location_id, account)
);

-- A carrier pickup, stored `requested` before the carrier is called. One live pickup
-- per account, location and date, so no retry path asks a carrier for two.
CREATE TABLE pickups (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    location_id       TEXT NOT NULL REFERENCES pickup_locations(id),
    carrier           TEXT NOT NULL,
    carrier_account   TEXT NOT NULL,
    pickup_date       TEXT NOT NULL,
    window_from       TEXT,
    window_to         TEXT,
    packages          INTEGER NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('requested', 'scheduled', 'rejected',
                        'completed', 'partially_failed', 'failed', 'cancelled')),
    carrier_pickup_id TEXT,
    carrier_date      TEXT,
    carrier_message   TEXT,
    requested_at      BIGINT NOT NULL,
    answered_at       BIGINT,
    settled_at        BIGINT,
    cancelled_at      BIGINT
);
CREATE UNIQUE INDEX pickups_one_live ON pickups (carrier_account, location_id, pickup_date)
    WHERE state IN ('requested', 'scheduled');
CREATE INDEX pickups_tenant ON pickups (tenant_id, requested_at);

-- The shipments a pickup is for, and what tracking showed of each: `pending`, then
-- `picked_up` or `not_picked` (the first pickup scan after the request decides), or
-- `cancelled` (the shipment was cancelled before either). A
-- shipment is in one live pickup at a time.
CREATE TABLE pickup_shipments (
    pickup_id     TEXT NOT NULL REFERENCES pickups(id) ON DELETE CASCADE,
    shipment_id   TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    live          INTEGER NOT NULL DEFAULT 1,
    outcome       TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'picked_up', 'not_picked', 'cancelled')),
    outcome_text  TEXT,
    outcome_at    BIGINT,
    PRIMARY KEY (pickup_id, shipment_id)
);
CREATE UNIQUE INDEX pickup_shipments_live ON pickup_shipments (shipment_id) WHERE live = 1;
-- What the settling sweep reads.
CREATE INDEX pickup_shipments_pending ON pickup_shipments (pickup_id) WHERE outcome = 'pending' AND live = 1;

-- A day's handover for an account and location: the carrier's manifest where it has
-- one, and shipgate's handover sheet always.
CREATE TABLE manifests (
    id                    TEXT PRIMARY KEY,
    tenant_id             TEXT NOT NULL REFERENCES tenants(id),
    location_id           TEXT NOT NULL REFERENCES pickup_locations(id),
    carrier               TEXT NOT NULL,
    carrier_account       TEXT NOT NULL,
    manifest_date         TEXT NOT NULL,
    carrier_state         TEXT NOT NULL CHECK (carrier_state IN ('none', 'requested', 'created', 'failed')),
    carrier_manifest_id   TEXT,
    carrier_document_url  TEXT,
    carrier_message       TEXT,
    shipment_count        INTEGER NOT NULL,
    pieces                INTEGER NOT NULL,
    cod_total             BIGINT NOT NULL,
    currency              TEXT NOT NULL,
    created_at            BIGINT NOT NULL
);
CREATE INDEX manifests_tenant ON manifests (tenant_id, created_at);

-- A shipment is in one manifest only.
CREATE TABLE manifest_shipments (
    manifest_id   TEXT NOT NULL REFERENCES manifests(id) ON DELETE CASCADE,
    shipment_id   TEXT NOT NULL UNIQUE REFERENCES shipments(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    awb           TEXT NOT NULL,
    order_ref     TEXT NOT NULL,
    cod_amount    BIGINT NOT NULL,
    pieces        INTEGER NOT NULL,
    PRIMARY KEY (manifest_id, shipment_id)
);
