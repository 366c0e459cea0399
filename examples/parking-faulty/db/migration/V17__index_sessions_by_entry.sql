-- parking_sessions is busy in production: built without blocking writes (SchemaOps runs this script
-- outside a transaction, statement by statement, so it is kept alone and re-runnable).
CREATE INDEX CONCURRENTLY IF NOT EXISTS parking_sessions_entered_at_idx ON parking_sessions (entered_at);
