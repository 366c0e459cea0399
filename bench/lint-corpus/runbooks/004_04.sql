-- migrate:up
-- Migrate old status values to new format

UPDATE customers 
SET pipeline_stage = 'qualified' 
WHERE pipeline_stage = 'interested';

UPDATE customers 
SET pipeline_stage = 'closed_won' 
WHERE pipeline_stage = 'customer';

-- migrate:down
-- Revert status values to old format

UPDATE customers 
SET pipeline_stage = 'interested' 
WHERE pipeline_stage = 'qualified';

UPDATE customers 
SET pipeline_stage = 'customer' 
WHERE pipeline_stage = 'closed_won';
