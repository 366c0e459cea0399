CREATE TABLE tariffs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text   NOT NULL UNIQUE,
    cents_per_hour    bigint NOT NULL CHECK (cents_per_hour >= 0),
    free_minutes      bigint NOT NULL DEFAULT 30,
    daily_cap_cents   bigint NOT NULL
);
INSERT INTO tariffs (name, cents_per_hour, daily_cap_cents) VALUES
    ('standard', 250, 2400),
    ('electric', 300, 2800),
    ('accessible', 0, 0);
