-- A parking session: a vehicle on a spot from entry to exit.
CREATE TABLE parking_sessions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vehicle_id  bigint      NOT NULL REFERENCES vehicles (id),
    spot_id     int         NOT NULL REFERENCES parking_spots (id),
    entered_at  timestamptz NOT NULL DEFAULT now(),
    exited_at   timestamptz,
    CHECK (exited_at IS NULL OR exited_at >= entered_at)
);
CREATE INDEX parking_sessions_vehicle_id_idx ON parking_sessions (vehicle_id);
