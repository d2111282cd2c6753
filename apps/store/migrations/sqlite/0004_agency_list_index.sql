-- The Alto Settings list filters Alto-enabled agencies and orders them by name: with this index
-- the count and the page read the index alone instead of every row (10,000 agencies under load:
-- docs/performance.md).
CREATE INDEX agencies_enabled_by_name ON agencies (alto_enabled, display_name, id);
