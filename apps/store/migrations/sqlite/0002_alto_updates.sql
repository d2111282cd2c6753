-- Updates from Alto (issue 8): webhook events with de-duplication and claims, pending activations
-- from Integration.Activated, the deactivation flag, and the poller's high-water marks and leases.
-- Times are unix milliseconds (UTC) in BIGINT, as in 0001; JSON is TEXT.

-- One row per CloudEvents `id`: the primary key is the de-duplication, so a redelivery is a
-- no-op insert. `claimed_by`/`claimed_until` let one worker own an event while it runs handlers;
-- `processed_at` is set once they succeeded (or were given up on, with `last_error`).
CREATE TABLE alto_webhook_events (
    event_id      TEXT    PRIMARY KEY NOT NULL,
    event_type    TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    subject       TEXT    NULL,
    agency_ref    TEXT    NULL,
    event_time    BIGINT  NULL,
    payload       TEXT    NOT NULL,
    received_at   BIGINT  NOT NULL,
    deliveries    BIGINT  NOT NULL DEFAULT 1,
    claimed_by    TEXT    NULL,
    claimed_until BIGINT  NULL,
    attempts      BIGINT  NOT NULL DEFAULT 0,
    last_error    TEXT    NULL,
    processed_at  BIGINT  NULL
);
CREATE INDEX alto_webhook_events_unprocessed ON alto_webhook_events (processed_at, received_at);

-- An Integration.Activated notification waiting for an admin to link it to an agency.
CREATE TABLE pending_activations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id         TEXT    NOT NULL UNIQUE,
    agency_ref       TEXT    NOT NULL,
    branch_id        TEXT    NULL,
    received_at      BIGINT  NOT NULL,
    linked_agency_id TEXT    NULL REFERENCES agencies (id),
    linked_by        TEXT    NULL,
    linked_at        BIGINT  NULL
);
CREATE INDEX pending_activations_open ON pending_activations (linked_at, received_at);

-- Set by Integration.Deactivated for the agency with that AgencyRef; cleared when it is linked again.
ALTER TABLE agencies ADD COLUMN alto_deactivated_at BIGINT NULL;

-- The poller's per-agency, per-resource high-water mark: the newest creation time handed over
-- (unix microseconds) and the ids seen inside the overlap window before it (JSON object id → time).
CREATE TABLE alto_poll_state (
    agency_key  TEXT    NOT NULL,
    resource    TEXT    NOT NULL,
    high_water  BIGINT  NOT NULL,
    seen        TEXT    NOT NULL DEFAULT '{}',
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (agency_key, resource)
);

-- Which poller instance polls an agency until when; an expired lease may be taken over.
CREATE TABLE alto_poll_leases (
    agency_key  TEXT    PRIMARY KEY NOT NULL,
    holder      TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);
