DROP TRIGGER parking_sessions_audit ON parking_sessions;
DROP FUNCTION record_session_change();
DROP TABLE session_audit;
