-- Carrier accounts a tenant brings (issue 16): its own contract with a carrier, beside the
-- platform accounts of the configuration. Credentials are never stored in plain text:
-- `credentials_json` maps each credential field to its sealed value (src/sealed.rs, bound
-- to this account and field), `settings_json` holds the options that are not secret.
CREATE TABLE tenant_carrier_accounts (
    tenant_id               TEXT NOT NULL,
    id                      TEXT NOT NULL,
    carrier                 TEXT NOT NULL,
    name                    TEXT NOT NULL,
    enabled                 INTEGER NOT NULL DEFAULT 1,
    settings_json           TEXT NOT NULL,
    credentials_json        TEXT NOT NULL,
    credentials_changed_at  BIGINT NOT NULL,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX tenant_carrier_accounts_name ON tenant_carrier_accounts (tenant_id, carrier, name);
