DROP INDEX CONCURRENTLY IF EXISTS parking_sessions_entered_at_idx;
