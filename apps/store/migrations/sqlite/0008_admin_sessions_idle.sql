-- Admin accounts and sessions: an idle timeout besides the absolute one, and users who can be
-- disabled without deleting them (the audit log keeps naming them).
-- Sessions already open count as last seen when they were created.

ALTER TABLE admin_sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE admin_sessions SET last_seen_at = created_at;
CREATE INDEX admin_sessions_by_user ON admin_sessions (user_id);

-- NULL: the user may sign in; otherwise when the account was disabled (unix milliseconds).
ALTER TABLE admin_users ADD COLUMN disabled_at BIGINT NULL;
