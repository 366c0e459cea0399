-- migrate:up
-- Add NOT NULL constraint
ALTER TABLE customers 
ALTER COLUMN email SET NOT NULL;

-- Add UNIQUE constraint
ALTER TABLE customers 
ADD CONSTRAINT unique_customer_email UNIQUE (email);

-- Add CHECK constraint
ALTER TABLE customers 
ADD CONSTRAINT valid_relationship_score 
CHECK (relationship_score >= 0 AND relationship_score <= 100);

-- migrate:down
ALTER TABLE customers 
DROP CONSTRAINT IF EXISTS valid_relationship_score;

ALTER TABLE customers 
DROP CONSTRAINT IF EXISTS unique_customer_email;

ALTER TABLE customers 
ALTER COLUMN email DROP NOT NULL;
