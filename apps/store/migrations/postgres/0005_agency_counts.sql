-- How many Alto-enabled agencies there are in each list status, kept by a trigger: the Alto
-- Settings list reads its total here instead of counting 10,000 rows on every view
-- (docs/performance.md). Keys are the list's status filter keys (AltoStatus::key).
CREATE TABLE agency_counts (
    status TEXT   PRIMARY KEY NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION agency_list_status(use_production BOOLEAN, agency_ref TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN NOT use_production THEN 'sandbox-only'
                WHEN agency_ref IS NULL THEN 'missing-agency-ref'
                ELSE 'production-connected' END
$$;

INSERT INTO agency_counts (status, n)
SELECT k.status,
       (SELECT COUNT(*) FROM agencies a
         WHERE a.alto_enabled
           AND agency_list_status(a.use_production, a.alto_agency_ref) = k.status)
  FROM (VALUES ('sandbox-only'), ('production-connected'), ('missing-agency-ref')) AS k (status);

-- One statement per change, over both rows in key order (so two concurrent changes cannot
-- deadlock on the counters): the old status loses one, the new one gains one.
CREATE FUNCTION agency_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_status TEXT := NULL;
    new_status TEXT := NULL;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.alto_enabled THEN
        old_status := agency_list_status(OLD.use_production, OLD.alto_agency_ref);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.alto_enabled THEN
        new_status := agency_list_status(NEW.use_production, NEW.alto_agency_ref);
    END IF;
    IF old_status IS DISTINCT FROM new_status THEN
        UPDATE agency_counts
           SET n = n - ((status = old_status) IS TRUE)::int + ((status = new_status) IS TRUE)::int
         WHERE status IN (old_status, new_status);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER agency_counts_keep
AFTER INSERT OR DELETE OR UPDATE OF alto_enabled, use_production, alto_agency_ref ON agencies
FOR EACH ROW EXECUTE FUNCTION agency_counts_keep();
