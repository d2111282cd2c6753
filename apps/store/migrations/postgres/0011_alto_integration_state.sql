-- Whether Alto's integration is on, per group (Integration.Enabled / Disabled, keyed by the
-- group's AgencyRef, branch_id '') and per branch (Integration.Activated / Deactivated), as of
-- the newest event seen for each: event_time (unix milliseconds, the event's `time`) then
-- event_id decide which is newest, so an older event delivered late never undoes a newer one.
-- Kept whether or not an agency holds the AgencyRef yet: linking applies it.
-- active: 1 on, 0 off.
CREATE TABLE alto_integration_state (
    agency_ref  TEXT    NOT NULL,
    scope       TEXT    NOT NULL,
    branch_id   TEXT    NOT NULL,
    active      BIGINT  NOT NULL,
    event_time  BIGINT  NOT NULL,
    event_id    TEXT    NOT NULL,
    PRIMARY KEY (agency_ref, scope, branch_id)
);
