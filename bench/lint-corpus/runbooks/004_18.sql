-- migrate:up
ALTER TABLE customers 
RENAME COLUMN status TO pipeline_stage;

-- migrate:down
ALTER TABLE customers 
RENAME COLUMN pipeline_stage TO status;
