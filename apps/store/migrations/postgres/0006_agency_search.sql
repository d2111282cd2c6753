-- Trigram indexes for the Alto Settings search (pg_trgm, shipped with PostgreSQL; a trusted
-- extension since PostgreSQL 13, so the database's owner may create it). The search's
-- `LOWER(column) LIKE '%…%'` over the three columns is answered from them instead of a scan of
-- every agency (docs/performance.md). The extension goes in `public`, so a schema dropped with
-- CASCADE (as each test's is) takes only its own indexes with it.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE INDEX agencies_search_name ON agencies USING gin (LOWER(display_name) public.gin_trgm_ops);
CREATE INDEX agencies_search_id ON agencies USING gin (LOWER(id) public.gin_trgm_ops);
CREATE INDEX agencies_search_ref
    ON agencies USING gin (LOWER(COALESCE(alto_agency_ref, '')) public.gin_trgm_ops);
