   -- Good: Safe to run multiple times
   CREATE TABLE IF NOT EXISTS customers (...);
   ALTER TABLE users ADD COLUMN IF NOT EXISTS timezone VARCHAR(50);
   
   -- Bad: Will fail on second run
   CREATE TABLE customers (...);
   ALTER TABLE users ADD COLUMN timezone VARCHAR(50);
   