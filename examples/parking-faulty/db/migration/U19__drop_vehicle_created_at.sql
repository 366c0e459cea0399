ALTER TABLE vehicles ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
