   -- migrate:up
   BEGIN;
   UPDATE customers SET status = 'active' WHERE status IS NULL;
   COMMIT;
   
   -- migrate:down
   BEGIN;
   UPDATE customers SET status = NULL WHERE status = 'active';
   COMMIT;
   