-- Storefront connections (issue 21): a shop's checkout (Shopify, WooCommerce, Magento)
-- asks `/storefront/<platform>/<token>/rates` for shipping rates. `token` is the
-- unguessable path segment that finds the connection; `secret_sealed` the shared secret
-- that authenticates the shop's requests, sealed like carrier credentials; `settings`
-- the connection's JSON settings (default origin and parcel, service filter, markup).
CREATE TABLE storefronts (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    platform       TEXT NOT NULL,
    name           TEXT NOT NULL,
    token          TEXT NOT NULL,
    secret_sealed  TEXT NOT NULL,
    settings       TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX storefronts_token ON storefronts (token);
CREATE INDEX storefronts_tenant ON storefronts (tenant_id, id);
