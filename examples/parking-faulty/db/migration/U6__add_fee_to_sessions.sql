ALTER TABLE parking_sessions DROP COLUMN fee_cents;
