-- migrate:up
-- Add timezone preference to users table

ALTER TABLE users 
ADD COLUMN timezone VARCHAR(50) DEFAULT 'UTC';

-- migrate:down
-- Remove timezone column from users table

ALTER TABLE users 
DROP COLUMN IF EXISTS timezone;
