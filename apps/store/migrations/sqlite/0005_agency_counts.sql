-- How many Alto-enabled agencies there are in each list status, kept by triggers: the Alto
-- Settings list reads its total here instead of counting 10,000 rows on every view
-- (docs/performance.md). Keys are the list's status filter keys (AltoStatus::key).
CREATE TABLE agency_counts (
    status TEXT   PRIMARY KEY NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0
);

INSERT INTO agency_counts (status, n)
SELECT k.status,
       (SELECT COUNT(*) FROM agencies a
         WHERE a.alto_enabled = 1
           AND CASE WHEN a.use_production = 0 THEN 'sandbox-only'
                    WHEN a.alto_agency_ref IS NULL THEN 'missing-agency-ref'
                    ELSE 'production-connected' END = k.status)
  FROM (SELECT 'sandbox-only' AS status
        UNION ALL SELECT 'production-connected'
        UNION ALL SELECT 'missing-agency-ref') k;

-- One statement per change: the old status loses one, the new one gains one (a change within
-- the same status nets to zero).
CREATE TRIGGER agency_counts_on_insert AFTER INSERT ON agencies WHEN NEW.alto_enabled = 1
BEGIN
    UPDATE agency_counts SET n = n + 1
     WHERE status = CASE WHEN NEW.use_production = 0 THEN 'sandbox-only'
                         WHEN NEW.alto_agency_ref IS NULL THEN 'missing-agency-ref'
                         ELSE 'production-connected' END;
END;

CREATE TRIGGER agency_counts_on_delete AFTER DELETE ON agencies WHEN OLD.alto_enabled = 1
BEGIN
    UPDATE agency_counts SET n = n - 1
     WHERE status = CASE WHEN OLD.use_production = 0 THEN 'sandbox-only'
                         WHEN OLD.alto_agency_ref IS NULL THEN 'missing-agency-ref'
                         ELSE 'production-connected' END;
END;

CREATE TRIGGER agency_counts_on_update
AFTER UPDATE OF alto_enabled, use_production, alto_agency_ref ON agencies
BEGIN
    UPDATE agency_counts
       SET n = n
             - (OLD.alto_enabled = 1 AND status =
                  CASE WHEN OLD.use_production = 0 THEN 'sandbox-only'
                       WHEN OLD.alto_agency_ref IS NULL THEN 'missing-agency-ref'
                       ELSE 'production-connected' END)
             + (NEW.alto_enabled = 1 AND status =
                  CASE WHEN NEW.use_production = 0 THEN 'sandbox-only'
                       WHEN NEW.alto_agency_ref IS NULL THEN 'missing-agency-ref'
                       ELSE 'production-connected' END);
END;
