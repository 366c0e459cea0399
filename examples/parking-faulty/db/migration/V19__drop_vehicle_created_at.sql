-- FAULT (risky statement): running application versions still read vehicles.created_at.
ALTER TABLE vehicles DROP COLUMN created_at;
