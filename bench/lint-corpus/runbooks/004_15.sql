-- migrate:up
-- Clean up orphaned records first
DELETE FROM interactions WHERE customer_id NOT IN (SELECT id FROM customers);

-- Then add constraint
ALTER TABLE interactions 
ADD CONSTRAINT fk_customer 
FOREIGN KEY (customer_id) REFERENCES customers(id);
