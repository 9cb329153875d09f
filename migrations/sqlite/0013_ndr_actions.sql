-- NDR actions (issue 17): what a tenant (or its NDR policy) told the carrier to do about
-- a failed delivery attempt, and what came of it.
--
-- state: requested (sent, or sent with no answer: it may have reached the carrier),
-- accepted or rejected (the carrier's answer), effective (a later scan shows it), expired
-- (nothing showed it in time). One live action per failed attempt: a second instruction
-- for the same attempt is refused (so none is ever sent twice) until the carrier rejected
-- the first or it expired.
-- attempt_event_at: when the failed attempt it answers happened (carrier time); only
-- scans after it, received after the request, can make it effective.
CREATE TABLE ndr_actions (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL,
    shipment_id       TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    action            TEXT NOT NULL,
    params_json       TEXT NOT NULL,
    state             TEXT NOT NULL
        CHECK (state IN ('requested', 'accepted', 'rejected', 'effective', 'expired')),
    source            TEXT NOT NULL,
    attempt           INTEGER NOT NULL,
    attempt_event_at  BIGINT NOT NULL,
    carrier_message   TEXT,
    carrier_ref       TEXT,
    requested_at      BIGINT NOT NULL,
    answered_at       BIGINT,
    settled_at        BIGINT
);
CREATE UNIQUE INDEX ndr_actions_one_per_attempt ON ndr_actions (shipment_id, attempt)
    WHERE state IN ('requested', 'accepted', 'effective');
CREATE INDEX ndr_actions_shipment ON ndr_actions (shipment_id, requested_at);
-- What the settling sweep reads: actions still waiting for their effect.
CREATE INDEX ndr_actions_open ON ndr_actions (requested_at)
    WHERE state IN ('requested', 'accepted');

-- NDR policies, versioned per tenant like the selection rules (store/rule_sets.rs).
CREATE TABLE ndr_policies (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    version     BIGINT NOT NULL,
    rules_json  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

-- What a tenant's NDR policy decided about each failed attempt, with the rule that
-- decided it (NULL when no rule matched). The key claims the attempt: of several
-- processes, the one that inserts the decision acts on it.
CREATE TABLE ndr_decisions (
    shipment_id     TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    attempt         INTEGER NOT NULL,
    tenant_id       TEXT NOT NULL,
    policy_version  BIGINT NOT NULL,
    rule            TEXT,
    decision        TEXT NOT NULL,
    action_id       TEXT,
    detail          TEXT,
    decided_at      BIGINT NOT NULL,
    PRIMARY KEY (shipment_id, attempt)
);
