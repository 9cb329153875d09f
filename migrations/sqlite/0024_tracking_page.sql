-- The buyer's tracking page (issue 20): every shipment has an unguessable token that opens
-- `/t/{token}`; shipments booked before this migration get one here. randomblob() is
-- SQLite's CSPRNG (ChaCha20 seeded from the operating system): 18 bytes, 144 bits, as hex.
-- New bookings get theirs from the gateway (URL-safe base64 of 18 random bytes).
ALTER TABLE shipments ADD COLUMN tracking_token TEXT;
UPDATE shipments SET tracking_token = lower(hex(randomblob(18))) WHERE tracking_token IS NULL;
CREATE UNIQUE INDEX shipments_tracking_token ON shipments (tracking_token);

-- A tenant's branding for the page (`PUT /v1/branding`): one row per tenant, replaced
-- whole. The logo is the image's bytes (PNG, JPEG or WebP, checked by magic bytes).
CREATE TABLE tenant_branding (
    tenant_id      TEXT PRIMARY KEY REFERENCES tenants(id),
    display_name   TEXT,
    logo           BLOB,
    logo_type      TEXT,
    primary_color  TEXT,
    accent_color   TEXT,
    support_email  TEXT,
    support_phone  TEXT,
    updated_at     BIGINT NOT NULL
);

-- Secrets the gateway makes for itself and every process shares (the tracking page signs
-- its forms with `tracking_form`): created by whichever process starts first.
CREATE TABLE gateway_secrets (
    name        TEXT PRIMARY KEY,
    secret      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
