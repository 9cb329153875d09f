-- Rate cards per tenant and carrier account. Every upload is a new version; the highest
-- version of an account is its active card and older versions are kept, so a price
-- quoted last month can still be explained. `source` is the body as uploaded (JSON or
-- CSV); `card_json` is the validated card in its canonical JSON form, which is what
-- quotes are priced from.
CREATE TABLE rate_cards (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    carrier_account TEXT NOT NULL,
    version         BIGINT NOT NULL,
    source_format   TEXT NOT NULL CHECK (source_format IN ('json', 'csv')),
    source          TEXT NOT NULL,
    card_json       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, carrier_account, version)
);
