-- Backfill in batches so no single statement holds row locks on the whole table.
DO $$
DECLARE
    updated integer;
BEGIN
    LOOP
        UPDATE parking_sessions
        SET fee_cents = session_fee(entered_at, exited_at)
        WHERE id IN (SELECT id FROM parking_sessions
                     WHERE fee_cents IS NULL AND exited_at IS NOT NULL
                     LIMIT 1000);
        GET DIAGNOSTICS updated = ROW_COUNT;
        EXIT WHEN updated = 0;
    END LOOP;
END
$$;
