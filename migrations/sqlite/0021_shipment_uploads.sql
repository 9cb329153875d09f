-- Trade documents the shipper uploaded for a booked shipment (issue 18), handed to its
-- carrier (FedEx electronic trade documents, UPS Paperless Documents) and kept with the id
-- the carrier filed them under. Apart from shipment_documents: a cross-border booking
-- already holds the carrier's own commercial invoice, which the shipper's does not replace.
-- One per shipment and kind: a second upload of a kind is refused, never sent twice.
CREATE TABLE shipment_uploads (
    shipment_id         TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    kind                TEXT NOT NULL
        CHECK (kind IN ('commercial_invoice', 'customs_declaration')),
    content_type        TEXT NOT NULL,
    content             BLOB NOT NULL,
    carrier_document_id TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    PRIMARY KEY (shipment_id, kind)
);
