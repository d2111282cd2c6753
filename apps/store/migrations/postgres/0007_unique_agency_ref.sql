-- An AgencyRef names one agency: linking an activation, the webhook's capture and the poller
-- each find the agency by it. Several activations (one per branch of a group) may carry the same
-- AgencyRef; they all link to that one agency. The store refuses to run this on a database
-- where agencies share one, naming them (Store::migrate), so the index below cannot fail.
DROP INDEX agencies_by_ref;
CREATE UNIQUE INDEX agencies_unique_ref ON agencies (alto_agency_ref);

-- One clock for times that several instances compare (poll leases, event claims): the
-- database's, not each instance's, which may be skewed. Unix milliseconds, as every time here.
-- clock_timestamp(), not now(): now() is the transaction's start, stale in a long transaction.
CREATE VIEW alto_clock AS
    SELECT CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT) AS now_ms;
