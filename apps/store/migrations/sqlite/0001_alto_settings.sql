-- Alto Settings: agencies, their append-only audit log, admin users and server-side sessions.
-- Times are unix milliseconds (UTC) in BIGINT so SQLite and PostgreSQL read them alike.
-- Flags are INTEGER 0/1 here: sqlx's Any driver cannot read SQLite's BOOLEAN affinity.

CREATE TABLE agencies (
    id               TEXT    PRIMARY KEY NOT NULL,
    display_name     TEXT    NOT NULL,
    alto_enabled     INTEGER NOT NULL DEFAULT 0 CHECK (alto_enabled IN (0, 1)),
    use_production   INTEGER NOT NULL DEFAULT 0 CHECK (use_production IN (0, 1)),
    alto_agency_ref  TEXT    NULL,
    -- Further Alto identifiers (branch ids, ...) as a JSON object, until one earns a column.
    alto_identifiers TEXT    NOT NULL DEFAULT '{}',
    version          BIGINT  NOT NULL DEFAULT 1,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX agencies_by_name ON agencies (display_name, id);
CREATE INDEX agencies_by_ref ON agencies (alto_agency_ref);

CREATE TABLE agency_audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id   TEXT    NOT NULL REFERENCES agencies (id),
    field       TEXT    NOT NULL,
    old_value   TEXT    NULL,
    new_value   TEXT    NULL,
    changed_by  TEXT    NOT NULL,
    changed_at  BIGINT  NOT NULL
);
CREATE INDEX agency_audit_by_agency ON agency_audit (agency_id, id);

CREATE TRIGGER agency_audit_no_update BEFORE UPDATE ON agency_audit
BEGIN
    SELECT RAISE(ABORT, 'agency_audit is append-only');
END;
CREATE TRIGGER agency_audit_no_delete BEFORE DELETE ON agency_audit
BEGIN
    SELECT RAISE(ABORT, 'agency_audit is append-only');
END;

CREATE TABLE admin_users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'viewer')),
    created_at    BIGINT  NOT NULL
);

-- Only a SHA-256 of the session token is stored: a copy of this table cannot be replayed as cookies.
CREATE TABLE admin_sessions (
    id_hash     TEXT    PRIMARY KEY NOT NULL,
    user_id     BIGINT  NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    csrf_token  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);
