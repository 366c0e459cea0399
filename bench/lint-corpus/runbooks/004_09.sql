   -- Slow: Rewrites entire table
   ALTER TABLE customers ADD COLUMN status VARCHAR(50) DEFAULT 'active';
   
   -- Fast: Add column without default, then update
   ALTER TABLE customers ADD COLUMN status VARCHAR(50);
   UPDATE customers SET status = 'active' WHERE status IS NULL;
   ALTER TABLE customers ALTER COLUMN status SET DEFAULT 'active';
   