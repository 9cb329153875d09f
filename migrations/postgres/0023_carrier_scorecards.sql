-- Carrier scorecards and delivery estimates (issue 20).
--
-- A scorecard is read by summing daily rows, never by scanning shipments: each confirmed
-- forward shipment adds itself to one row of carrier_daily (its tenant, carrier, account,
-- lane and booking day, India time) and its transit time to one row of
-- carrier_transit_daily, and moves its counts there (delivered, RTO, …) in the same
-- transaction as the booking or the scans that change them. shipment_scores remembers what
-- each shipment counts for right now, so a change is applied as a difference and a
-- shipment is never counted twice, whatever order or how often its scans arrive.

-- The promised date (YYYY-MM-DD): the carrier's, or the lane's median transit at booking.
ALTER TABLE shipments ADD COLUMN estimated_delivery TEXT;
CREATE INDEX shipments_tenant_estimated ON shipments (tenant_id, estimated_delivery);

CREATE TABLE shipment_scores (
    shipment_id     TEXT PRIMARY KEY REFERENCES shipments(id) ON DELETE CASCADE,
    tenant_id       TEXT NOT NULL,
    carrier         TEXT NOT NULL,
    carrier_account TEXT NOT NULL,
    origin          TEXT NOT NULL,
    destination     TEXT NOT NULL,
    -- Days since 1970-01-01 in India time: the day the shipment was booked.
    day             BIGINT NOT NULL,
    -- '' when the booking stated no charge.
    currency        TEXT NOT NULL,
    cost            BIGINT,
    promised        TEXT,
    booked_at       BIGINT NOT NULL,
    -- The fold over its timeline: first carrier scan after pickup, and when it was
    -- delivered (null unless its status is delivered now).
    picked_up_at    BIGINT,
    delivered_at    BIGINT,
    -- What it is counted for now (0/1; transit and on-time null when not counted).
    delivered       INTEGER NOT NULL DEFAULT 0,
    first_attempt   INTEGER NOT NULL DEFAULT 0,
    ndr             INTEGER NOT NULL DEFAULT 0,
    rto             INTEGER NOT NULL DEFAULT 0,
    transit_days    BIGINT,
    on_time         INTEGER,
    cancelled       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE carrier_daily (
    tenant_id          TEXT NOT NULL,
    day                BIGINT NOT NULL,
    carrier            TEXT NOT NULL,
    carrier_account    TEXT NOT NULL,
    origin             TEXT NOT NULL,
    destination        TEXT NOT NULL,
    currency           TEXT NOT NULL,
    shipments          BIGINT NOT NULL DEFAULT 0,
    delivered          BIGINT NOT NULL DEFAULT 0,
    first_attempt      BIGINT NOT NULL DEFAULT 0,
    ndr                BIGINT NOT NULL DEFAULT 0,
    rto                BIGINT NOT NULL DEFAULT 0,
    promised_delivered BIGINT NOT NULL DEFAULT 0,
    on_time            BIGINT NOT NULL DEFAULT 0,
    costed             BIGINT NOT NULL DEFAULT 0,
    cost_amount        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day, carrier, carrier_account, origin, destination, currency)
);

CREATE TABLE carrier_transit_daily (
    tenant_id       TEXT NOT NULL,
    day             BIGINT NOT NULL,
    carrier         TEXT NOT NULL,
    carrier_account TEXT NOT NULL,
    origin          TEXT NOT NULL,
    destination     TEXT NOT NULL,
    transit_days    BIGINT NOT NULL,
    shipments       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day, carrier, carrier_account, origin, destination, transit_days)
);
