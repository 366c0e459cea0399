-- Nullable, no default: adding it does not rewrite the table.
ALTER TABLE parking_sessions ADD COLUMN fee_cents integer;
