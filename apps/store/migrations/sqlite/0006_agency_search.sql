-- A substring index for the Alto Settings search: FTS5 with the trigram tokenizer (SQLite
-- 3.34+; sqlx bundles 3.46 with FTS5 built in). A quoted phrase of three or more characters
-- matches any row holding it as a substring of one column, case-insensitively, through the
-- index instead of a LIKE over every agency (docs/performance.md). Kept by triggers, so writes
-- from outside the app are indexed too. Shorter searches (trigrams need three) and ones
-- naming over 1,000 agencies use LIKE (src/store/agencies.rs: SearchPlan).
CREATE VIRTUAL TABLE agency_search USING fts5(
    agency_id,
    display_name,
    agency_ref,
    tokenize = 'trigram'
);

INSERT INTO agency_search (agency_id, display_name, agency_ref)
SELECT id, display_name, COALESCE(alto_agency_ref, '') FROM agencies;

CREATE TRIGGER agency_search_on_insert AFTER INSERT ON agencies
BEGIN
    INSERT INTO agency_search (agency_id, display_name, agency_ref)
    VALUES (NEW.id, NEW.display_name, COALESCE(NEW.alto_agency_ref, ''));
END;

-- agency_id is not a key of the FTS table, so these two find the row by a scan of it: they
-- run on an admin's save or an agency's removal, never on a list view.
CREATE TRIGGER agency_search_on_delete AFTER DELETE ON agencies
BEGIN
    DELETE FROM agency_search WHERE agency_id = OLD.id;
END;

CREATE TRIGGER agency_search_on_update AFTER UPDATE OF id, display_name, alto_agency_ref ON agencies
BEGIN
    UPDATE agency_search
       SET agency_id = NEW.id,
           display_name = NEW.display_name,
           agency_ref = COALESCE(NEW.alto_agency_ref, '')
     WHERE agency_id = OLD.id;
END;

-- One segment for the rows indexed above (a search reads every segment).
INSERT INTO agency_search (agency_search) VALUES ('optimize');
