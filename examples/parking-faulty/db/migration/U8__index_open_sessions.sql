DROP INDEX CONCURRENTLY IF EXISTS parking_sessions_open_idx;
