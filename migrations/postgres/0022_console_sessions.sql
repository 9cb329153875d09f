-- Operations console sessions (issue 20): a browser signs in once with an API key and then
-- carries an HttpOnly cookie instead of the key. Only the SHA-256 of the cookie's token is
-- kept (a leaked table opens no session); the CSRF token is kept as is, because the page
-- reads it back and it is worthless without the cookie. A session acts as its API key:
-- each request joins api_keys, so revoking the key ends the session's power at once.
CREATE TABLE console_sessions (
    token_hash  TEXT PRIMARY KEY,
    api_key_id  TEXT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);

-- The console searches shipments by the buyer's phone (GET /v1/shipments?buyer_phone=):
-- its last ten digits, computed from the stored request by exactly this expression
-- (store::queries::buyer_phone_sql), so the search seeks instead of reading the tenant's
-- whole history. Ending in (created_at, id) it also gives the list's order, without
-- which SQLite prefers walking the tenant's history in order.
CREATE INDEX shipments_tenant_buyer_phone ON shipments (
    tenant_id,
    right(regexp_replace((request_json::json) #>> '{to,phone}', '[^0-9]', '', 'g'), 10),
    created_at,
    id
);

-- The console's shipment page lists the webhook messages about the shipment
-- (GET /v1/shipments/{id}/webhook-messages).
CREATE INDEX webhook_messages_shipment ON webhook_messages (tenant_id, shipment_id, created_at);
