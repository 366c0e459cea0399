CREATE TABLE vehicles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id   bigint NOT NULL REFERENCES clients (id),
    plate       text   NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vehicles_client_id_idx ON vehicles (client_id);
CREATE UNIQUE INDEX vehicles_plate_key ON vehicles (upper(plate));
