CREATE TYPE spot_kind AS ENUM ('standard', 'compact', 'accessible', 'electric');

CREATE TABLE parking_spots (
    id      int       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level   smallint  NOT NULL,
    code    text      NOT NULL UNIQUE,
    kind    spot_kind NOT NULL DEFAULT 'standard'
);

INSERT INTO parking_spots (level, code, kind)
SELECT level, 'L' || level || '-' || lpad(n::text, 3, '0'),
       CASE WHEN n % 20 = 0 THEN 'accessible'::spot_kind WHEN n % 7 = 0 THEN 'electric' ELSE 'standard' END
FROM generate_series(1, 3) AS level, generate_series(1, 120) AS n;
