-- Every change to a session is recorded, for disputes about fees.
CREATE TABLE session_audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  bigint      NOT NULL,
    action      text        NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text        NOT NULL DEFAULT current_user
);

CREATE FUNCTION record_session_change() RETURNS trigger
LANGUAGE plpgsql AS $audit$
BEGIN
    INSERT INTO session_audit (session_id, action) VALUES (NEW.id, TG_OP);
    RETURN NEW;
END;
$audit$;

CREATE TRIGGER parking_sessions_audit AFTER INSERT OR UPDATE ON parking_sessions
    FOR EACH ROW EXECUTE FUNCTION record_session_change();
