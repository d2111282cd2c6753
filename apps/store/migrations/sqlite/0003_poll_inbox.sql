-- The poller's durable hand-off (issue 8): new items are written here in the same transaction
-- that advances the agency's high-water mark, so a poller killed at any instant neither loses an
-- item nor writes one twice. The app consumes rows and sets `consumed_at` (unix milliseconds).
CREATE TABLE alto_poll_inbox (
    agency_key   TEXT    NOT NULL,
    resource     TEXT    NOT NULL,
    item_id      TEXT    NOT NULL,
    created_us   BIGINT  NOT NULL,
    body         TEXT    NOT NULL,
    handed_at    BIGINT  NOT NULL,
    handed_by    TEXT    NOT NULL,
    consumed_at  BIGINT  NULL,
    PRIMARY KEY (agency_key, resource, item_id)
);
CREATE INDEX alto_poll_inbox_open ON alto_poll_inbox (consumed_at, handed_at);
