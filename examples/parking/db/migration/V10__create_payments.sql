CREATE TYPE payment_status AS ENUM ('pending', 'captured', 'refunded', 'failed');

CREATE TABLE payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id   bigint         NOT NULL REFERENCES parking_sessions (id),
    amount_cents bigint         NOT NULL CHECK (amount_cents >= 0),
    status       payment_status NOT NULL DEFAULT 'pending',
    created_at   timestamptz    NOT NULL DEFAULT now()
);
-- A new, empty table: a plain CREATE INDEX locks nobody out (the linter knows the table is new).
CREATE INDEX payments_session_id_idx ON payments (session_id);
