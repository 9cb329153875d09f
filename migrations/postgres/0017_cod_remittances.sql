-- COD remittance reconciliation (issue 17): the files carriers send when they pay out the
-- cash they collected on delivery, each line matched to the tenant's shipments.
--
-- A file is stored once per tenant and content (content_sha256): uploading or pulling the
-- same bytes again answers the remittance already stored and changes nothing.
CREATE TABLE cod_remittances (
    id                      TEXT PRIMARY KEY,
    tenant_id               TEXT NOT NULL REFERENCES tenants(id),
    layout                  TEXT NOT NULL,
    -- The layout's carrier; NULL for the generic layout (its lines may name one).
    carrier                 TEXT,
    -- `upload`, or `sftp:<source id>`.
    source                  TEXT NOT NULL,
    file_name               TEXT,
    content_sha256          TEXT NOT NULL,
    lines                   INTEGER NOT NULL,
    matched                 INTEGER NOT NULL,
    amount_mismatch         INTEGER NOT NULL,
    remitted_not_delivered  INTEGER NOT NULL,
    unknown_awb             INTEGER NOT NULL,
    duplicate_line          INTEGER NOT NULL,
    created_at              BIGINT NOT NULL,
    UNIQUE (tenant_id, content_sha256)
);
CREATE INDEX cod_remittances_tenant ON cod_remittances (tenant_id, id);

-- One line of a file and what it matched. line_no is the line in the file (the header is
-- line 1). Money received for a shipment (matched, amount_mismatch,
-- remitted_not_delivered) is recorded once: a later line for it is a duplicate_line.
CREATE TABLE cod_remittance_lines (
    remittance_id    TEXT NOT NULL REFERENCES cod_remittances(id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    tenant_id        TEXT NOT NULL,
    awb              TEXT NOT NULL,
    utr              TEXT NOT NULL,
    remitted_on      TEXT NOT NULL,
    amount           BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('matched', 'amount_mismatch',
        'remitted_not_delivered', 'unknown_awb', 'duplicate_line')),
    shipment_id      TEXT,
    carrier_account  TEXT,
    expected_amount  BIGINT,
    detail           TEXT,
    PRIMARY KEY (remittance_id, line_no)
);
CREATE UNIQUE INDEX cod_remitted_once ON cod_remittance_lines (shipment_id)
    WHERE outcome IN ('matched', 'amount_mismatch', 'remitted_not_delivered');

-- SFTP folders where a carrier drops a tenant's remittance files. The password or private
-- key is sealed like carrier-account credentials (src/sealed.rs); the server's host key
-- is pinned.
CREATE TABLE cod_sftp_sources (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    carrier_account  TEXT NOT NULL,
    layout           TEXT NOT NULL,
    host             TEXT NOT NULL,
    port             INTEGER NOT NULL,
    username         TEXT NOT NULL,
    directory        TEXT NOT NULL,
    host_key         TEXT NOT NULL,
    auth             TEXT NOT NULL CHECK (auth IN ('password', 'private_key')),
    secret_sealed    TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    last_pulled_at   BIGINT,
    last_error       TEXT
);
CREATE INDEX cod_sftp_sources_tenant ON cod_sftp_sources (tenant_id, id);

-- Files seen in a source folder, by name and content: a file is reconciled (or refused)
-- once, across restarts and processes; the same name with new content is a new file.
CREATE TABLE cod_sftp_files (
    source_id       TEXT NOT NULL REFERENCES cod_sftp_sources(id) ON DELETE CASCADE,
    file_name       TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    remittance_id   TEXT,
    outcome         TEXT NOT NULL,
    detail          TEXT,
    processed_at    BIGINT NOT NULL,
    PRIMARY KEY (source_id, file_name, content_sha256)
);
