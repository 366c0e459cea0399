-- migrate:up
CREATE TYPE customer_status AS ENUM ('new', 'qualified', 'customer', 'churned');

ALTER TABLE customers 
ADD COLUMN status_enum customer_status DEFAULT 'new';

-- Migrate existing data
UPDATE customers SET status_enum = status::customer_status;

-- migrate:down
ALTER TABLE customers 
DROP COLUMN IF EXISTS status_enum;

DROP TYPE IF EXISTS customer_status;
