-- Documents besides the label (issue 18): what a carrier generated with a booking (its
-- commercial invoice for a cross-border parcel) or handed out later (proof of delivery),
-- one per shipment and kind, served by GET /v1/shipments/{id}/documents/{kind}.
CREATE TABLE shipment_documents (
    shipment_id  TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL
        CHECK (kind IN ('commercial_invoice', 'customs_declaration', 'proof_of_delivery', 'manifest')),
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (shipment_id, kind)
);
