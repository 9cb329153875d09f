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
