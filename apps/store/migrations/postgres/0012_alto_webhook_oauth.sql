-- OAuth2 client credentials for Alto's webhook callbacks: this app is the token endpoint Alto
-- calls. One client per integration (several allowed while rotating); the secret is kept only as
-- an argon2id PHC string. Bearer tokens are short-lived and kept only as their SHA-256 (hex), so
-- a copy of the database lets no one post events. Times are unix milliseconds on the database's
-- clock (alto_clock), so instances agree on expiry.
CREATE TABLE alto_webhook_oauth_clients (
    client_id       TEXT    PRIMARY KEY NOT NULL,
    integration_id  TEXT    NOT NULL,
    secret_hash     TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    revoked_at      BIGINT  NULL
);

CREATE TABLE alto_webhook_oauth_tokens (
    token_hash      TEXT    PRIMARY KEY NOT NULL,
    client_id       TEXT    NOT NULL REFERENCES alto_webhook_oauth_clients (client_id),
    integration_id  TEXT    NOT NULL,
    expires_at      BIGINT  NOT NULL
);
CREATE INDEX alto_webhook_oauth_tokens_expiry ON alto_webhook_oauth_tokens (expires_at);
