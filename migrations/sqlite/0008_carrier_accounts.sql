-- The carrier account that booked a shipment: tracking and cancellation must go through
-- the same account (its credentials see the booking), while carrier pushes keep matching
-- by carrier and AWB. Shipments booked before accounts existed used the carrier's
-- default account, whose id is the carrier id.
ALTER TABLE shipments ADD COLUMN carrier_account TEXT;
UPDATE shipments SET carrier_account = carrier;
