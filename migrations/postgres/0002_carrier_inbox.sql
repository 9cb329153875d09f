-- Carrier pushes exactly as received, written before they are answered so that a push
-- the carrier saw accepted survives a crash; a background processor turns them into
-- tracking events. (carrier, body_sha256) is unique so that a redelivery of the same
-- body is absorbed here instead of being processed again.
--
-- state: pending (to process), processed, unknown_awb (no shipment has the AWB yet;
-- retried with back-off, then kept), failed (could not be processed; `error` says why),
-- rejected (unreadable, answered 400, kept for inspection).
-- claimed_until: a processor's lease on the row. retry_at: when an unknown-AWB row is
-- tried again. (Apart, and only retry_at indexed, so that claiming a row leaves every
-- index alone.)
CREATE TABLE carrier_inbox (
    id            BIGSERIAL PRIMARY KEY,
    carrier       TEXT NOT NULL,
    body_sha256   TEXT NOT NULL,
    body          BYTEA NOT NULL,
    headers       TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    state         TEXT NOT NULL
        CHECK (state IN ('pending', 'processed', 'unknown_awb', 'failed', 'rejected')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    retry_at      BIGINT NOT NULL DEFAULT 0,
    processed_at  BIGINT,
    error         TEXT,
    UNIQUE (carrier, body_sha256)
);
-- Only rows still to process are indexed for claiming, so these indexes stay small and
-- a processed row leaves them. New pushes are claimed oldest first; unknown-AWB retries
-- by due time, apart, so that many of them cannot slow down claiming new pushes.
CREATE INDEX carrier_inbox_pending ON carrier_inbox (id) WHERE state = 'pending';
CREATE INDEX carrier_inbox_retry ON carrier_inbox (retry_at) WHERE state = 'unknown_awb';
-- For purging old rows; arrival times only grow, so this index is only appended to.
CREATE INDEX carrier_inbox_received ON carrier_inbox (received_at);
-- Every row is updated once or twice soon after it is written: room on each page lets
-- PostgreSQL update in place (HOT) where no indexed column changes, and frequent vacuum
-- keeps the churn from bloating the table and its indexes.
ALTER TABLE carrier_inbox SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0);

-- Failed delivery attempts so far, kept with the shipment for NDR queues.
ALTER TABLE shipments ADD COLUMN ndr_attempts INTEGER NOT NULL DEFAULT 0;
-- Newest carrier event time on the timeline (shipgate's own booked marker excluded):
-- an event at or after it only moves the status forward, so the whole timeline is
-- re-read only when an older event arrives late.
ALTER TABLE shipments ADD COLUMN last_event_at BIGINT;
-- Every scan updates its shipment's row (newest event time) while most leave its indexed
-- columns alone: room on each page lets those updates happen in place (HOT).
ALTER TABLE shipments SET (fillfactor = 85);

UPDATE shipments SET
    ndr_attempts = (SELECT COUNT(*) FROM tracking_events t
                    WHERE t.shipment_id = shipments.id AND t.status = 'delivery_failed'),
    last_event_at = (SELECT MAX(t.event_time) FROM tracking_events t
                     WHERE t.shipment_id = shipments.id AND t.carrier_code <> 'shipgate:booked');
