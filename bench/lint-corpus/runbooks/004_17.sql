-- migrate:up
ALTER TABLE customers 
ADD COLUMN last_purchase_date TIMESTAMP;

CREATE INDEX idx_customers_last_purchase_date 
ON customers(last_purchase_date) 
WHERE last_purchase_date IS NOT NULL;

-- migrate:down
ALTER TABLE customers 
DROP COLUMN IF EXISTS last_purchase_date;
