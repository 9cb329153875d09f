-- Weight discrepancies and freight invoices (issue 17, point 5).
--
-- carrier_charge_imports: one row per imported carrier file. file_sha256 makes a
-- re-import of the same bytes a no-op (the first import's outcome is answered again).
CREATE TABLE carrier_charge_imports (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    layout        TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    summary_json  TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX carrier_charge_imports_file ON carrier_charge_imports (tenant_id, file_sha256);

-- The weight a carrier charged a shipment for, against the declared chargeable weight
-- (max of dead and volumetric by the carrier's divisor), one row per shipment: the
-- newest charge while the discrepancy is undisputed.
-- state: NULL within tolerance; open (flagged), disputed, accepted (the carrier took the
-- dispute: the declared weight stands), rejected (the charged weight stands).
-- impact_*: the extra the charged weight costs at the account's rate card; NULL when no
-- card prices the shipment (impact_note says why).
CREATE TABLE weight_charges (
    shipment_id      TEXT PRIMARY KEY REFERENCES shipments(id) ON DELETE CASCADE,
    tenant_id        TEXT NOT NULL,
    import_id        TEXT NOT NULL,
    carrier          TEXT NOT NULL,
    awb              TEXT NOT NULL,
    declared_g       BIGINT NOT NULL,
    charged_g        BIGINT NOT NULL,
    difference_g     BIGINT NOT NULL,
    tolerance_g      BIGINT NOT NULL,
    impact_amount    BIGINT,
    impact_currency  TEXT,
    impact_note      TEXT,
    state            TEXT CHECK (state IN ('open', 'disputed', 'accepted', 'rejected')),
    flagged_at       BIGINT,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX weight_charges_state ON weight_charges (tenant_id, state, flagged_at);

-- Disputes raised against a flagged weight, with the evidence. One open (disputed) per
-- shipment; the carrier's decision (or the operator's record of it) closes it.
CREATE TABLE weight_disputes (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL,
    shipment_id      TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    state            TEXT NOT NULL CHECK (state IN ('disputed', 'accepted', 'rejected')),
    raised_via       TEXT NOT NULL,
    weight_g         BIGINT NOT NULL,
    length_mm        BIGINT NOT NULL,
    width_mm         BIGINT NOT NULL,
    height_mm        BIGINT NOT NULL,
    photo_urls_json  TEXT NOT NULL,
    comment          TEXT,
    carrier_ref      TEXT,
    decision_note    TEXT,
    raised_at        BIGINT NOT NULL,
    decided_at       BIGINT
);
CREATE UNIQUE INDEX weight_disputes_one_open ON weight_disputes (shipment_id) WHERE state = 'disputed';
CREATE INDEX weight_disputes_shipment ON weight_disputes (shipment_id, raised_at);

-- Freight invoice lines: what the carrier billed per AWB, and what shipgate expected
-- (the quote kept at booking, else the account's rate card). Amounts per charge kind
-- as JSON objects of minor units; expected_json NULL when nothing prices the shipment.
CREATE TABLE freight_invoice_lines (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL,
    import_id        TEXT NOT NULL,
    shipment_id      TEXT REFERENCES shipments(id) ON DELETE CASCADE,
    carrier          TEXT NOT NULL,
    awb              TEXT NOT NULL,
    invoice_date     TEXT NOT NULL,
    charged_g        BIGINT,
    billed_zone      TEXT,
    expected_zone    TEXT,
    currency         TEXT NOT NULL,
    billed_json      TEXT NOT NULL,
    expected_json    TEXT,
    expected_source  TEXT,
    overcharge       BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX freight_invoice_lines_once ON freight_invoice_lines (tenant_id, carrier, awb, invoice_date);
CREATE INDEX freight_invoice_lines_date ON freight_invoice_lines (tenant_id, invoice_date);
