-- Alto Settings: agencies, their append-only audit log, admin users and server-side sessions.
-- Times are unix milliseconds (UTC) in BIGINT so SQLite and PostgreSQL read them alike.
-- JSON is kept in TEXT for the same reason (sqlx's Any driver has no JSONB).

CREATE TABLE agencies (
    id               TEXT    PRIMARY KEY NOT NULL,
    display_name     TEXT    NOT NULL,
    alto_enabled     BOOLEAN NOT NULL DEFAULT FALSE,
    use_production   BOOLEAN NOT NULL DEFAULT FALSE,
    alto_agency_ref  TEXT    NULL,
    alto_identifiers TEXT    NOT NULL DEFAULT '{}',
    version          BIGINT  NOT NULL DEFAULT 1,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX agencies_by_name ON agencies (display_name, id);
CREATE INDEX agencies_by_ref ON agencies (alto_agency_ref);

CREATE TABLE agency_audit (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id   TEXT    NOT NULL REFERENCES agencies (id),
    field       TEXT    NOT NULL,
    old_value   TEXT    NULL,
    new_value   TEXT    NULL,
    changed_by  TEXT    NOT NULL,
    changed_at  BIGINT  NOT NULL
);
CREATE INDEX agency_audit_by_agency ON agency_audit (agency_id, id);

CREATE FUNCTION agency_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'agency_audit is append-only';
END;
$$;
CREATE TRIGGER agency_audit_no_change BEFORE UPDATE OR DELETE ON agency_audit
    FOR EACH ROW EXECUTE FUNCTION agency_audit_append_only();

CREATE TABLE admin_users (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
