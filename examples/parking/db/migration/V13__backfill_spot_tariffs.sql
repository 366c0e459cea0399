-- Batched: each round updates at most 100 spots, so no statement holds row locks on the whole table.
DO $$
DECLARE
    updated integer;
BEGIN
    LOOP
        UPDATE parking_spots s
        SET tariff_id = t.id
        FROM tariffs t
        WHERE t.name = CASE s.kind WHEN 'electric' THEN 'electric' WHEN 'accessible' THEN 'accessible' ELSE 'standard' END
          AND s.id IN (SELECT id FROM parking_spots WHERE tariff_id IS NULL LIMIT 100);
        GET DIAGNOSTICS updated = ROW_COUNT;
        EXIT WHEN updated = 0;
    END LOOP;
END
$$;
