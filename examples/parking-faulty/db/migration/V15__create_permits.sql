-- Monthly permits: a client may park without paying per session while one is valid.
CREATE TABLE permits (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id   bigint      NOT NULL REFERENCES clients (id),
    valid_from  date        NOT NULL,
    valid_until date        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until > valid_from)
);
CREATE INDEX permits_client_id_idx ON permits (client_id, valid_until);
