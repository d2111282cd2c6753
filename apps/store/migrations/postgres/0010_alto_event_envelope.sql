-- Every member of Alto's webhook envelope gets a column, so events can be found and routed
-- without reading the payload: the integration (the tail of the event id), the changed
-- resource's id, the branch, the related subjects (JSON array of {subjectUri, subjectId}) and
-- the data content type. Rows stored before this migration keep NULL; their payload has the rest.
ALTER TABLE alto_webhook_events ADD COLUMN integration_id TEXT NULL;
ALTER TABLE alto_webhook_events ADD COLUMN subject_id TEXT NULL;
ALTER TABLE alto_webhook_events ADD COLUMN branch_id TEXT NULL;
ALTER TABLE alto_webhook_events ADD COLUMN related_subjects TEXT NULL;
ALTER TABLE alto_webhook_events ADD COLUMN data_content_type TEXT NULL;
CREATE INDEX alto_webhook_events_by_integration ON alto_webhook_events (integration_id, event_time);
