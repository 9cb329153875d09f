-- Tenants' carrier accounts in use (issue 16).
--
-- Each account gets its own push URL (`push_token`, the path segment that names it) and
-- push secret (sealed like a credential), and gateway options that are not carrier
-- settings (`options_json`: outbound quota, services).
ALTER TABLE tenant_carrier_accounts ADD COLUMN push_token TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant_carrier_accounts ADD COLUMN push_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE tenant_carrier_accounts ADD COLUMN options_json TEXT NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX tenant_carrier_accounts_push ON tenant_carrier_accounts (push_token)
    WHERE push_token <> '';

-- Bumped in the transaction of every change to tenant_carrier_accounts: each gateway
-- process compares it with the generation it last loaded, so a change made through one
-- process reaches the others within their refresh interval.
CREATE TABLE carrier_account_changes (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT NOT NULL
);
INSERT INTO carrier_account_changes (id, generation) VALUES (1, 0);

-- A push that arrived at an account's own URL may touch only that account's shipments:
-- `carrier_account` says which (NULL for the carrier-wide URL of platform accounts).
ALTER TABLE carrier_inbox ADD COLUMN carrier_account TEXT;

-- Polls are claimed per carrier *account*, so each account's loop polls its own
-- shipments with its own credentials (it claimed every account's shipments of the
-- carrier before, and polled them with whichever account's loop came first).
UPDATE tracking_polls SET carrier = COALESCE(
    (SELECT carrier_account FROM shipments WHERE shipments.id = tracking_polls.shipment_id),
    carrier);
ALTER TABLE tracking_polls RENAME COLUMN carrier TO carrier_account;

-- Sandbox mode without SHIPGATE_MASTER_KEY seals tenants' (simulator) credentials with a
-- key kept here, so every process and restart of a sandbox can open them. Live mode
-- never reads it: its key comes from the environment only.
CREATE TABLE sandbox_master_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    master_key  TEXT NOT NULL
);
