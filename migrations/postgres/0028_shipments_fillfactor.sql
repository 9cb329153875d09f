-- Every tracking scan updates its shipment's row (newest event time, status, NDR count).
-- None of those columns is indexed except status, which most scans leave as it was, so
-- PostgreSQL can update the row in place (HOT) and skip its fifteen indexes, but only
-- where the row's page has room. Without it, a profile of the push benchmark showed two
-- thirds of these updates written to every index. Applies to pages written from now on.
ALTER TABLE shipments SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_vacuum_cost_delay = 0);
