-- The tracking poller's schedule: one row per confirmed shipment, written in the same
-- transaction as the booking's confirmation (so no booked shipment is ever left out).
--
-- next_poll_at: when to refresh the shipment from its carrier next (Unix ms); NULL once
-- it reached a terminal state (never again). claimed_until / claimed_by: a poller's
-- lease on the row, longer than a poll can take; a process that dies leaves it to lapse.
-- failures: failed polls in a row (back-off). The rest says how the last poll went, for
-- operators.
CREATE TABLE tracking_polls (
    shipment_id    TEXT PRIMARY KEY REFERENCES shipments(id) ON DELETE CASCADE,
    carrier        TEXT NOT NULL,
    next_poll_at   BIGINT,
    claimed_until  BIGINT NOT NULL DEFAULT 0,
    claimed_by     TEXT,
    failures       INTEGER NOT NULL DEFAULT 0,
    polls          BIGINT NOT NULL DEFAULT 0,
    last_polled_at BIGINT,
    last_outcome   TEXT,
    last_error     TEXT
);
-- Claims take a carrier's due rows soonest first; rows that will never be polled again
-- leave the index, so it only holds active shipments.
CREATE INDEX tracking_polls_due ON tracking_polls (carrier, next_poll_at)
    WHERE next_poll_at IS NOT NULL;

-- Shipments booked before the poller existed and not finished yet: due within the next
-- hour, spread evenly so that the first start does not poll them all at once.
INSERT INTO tracking_polls (shipment_id, carrier, next_poll_at)
SELECT id, carrier,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000 + abs(random() % 3600000)
FROM shipments
WHERE booking_state = 'confirmed' AND awb IS NOT NULL
  AND status NOT IN ('delivered', 'cancelled')
  AND sub_status NOT IN ('rto_delivered', 'rto_disposed', 'lost', 'destroyed');
