-- migrate:up
-- Update customers in batches to avoid long locks
DO $$
DECLARE
    batch_size INTEGER := 1000;
    offset_val INTEGER := 0;
    rows_updated INTEGER;
BEGIN
    LOOP
        UPDATE customers 
        SET normalized_email = LOWER(email)
        WHERE id IN (
            SELECT id FROM customers 
            WHERE normalized_email IS NULL 
            LIMIT batch_size
        );
        
        GET DIAGNOSTICS rows_updated = ROW_COUNT;
        EXIT WHEN rows_updated = 0;
        
        -- Small delay between batches
        PERFORM pg_sleep(0.1);
    END LOOP;
END $$;

-- migrate:down
UPDATE customers SET normalized_email = NULL;
