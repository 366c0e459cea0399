-- Built without blocking writes: SchemaOps runs this script outside a transaction, statement by statement.
CREATE INDEX CONCURRENTLY IF NOT EXISTS parking_sessions_open_idx
    ON parking_sessions (spot_id) WHERE exited_at IS NULL;
