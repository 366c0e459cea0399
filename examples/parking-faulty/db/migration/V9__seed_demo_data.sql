-- Demo data, so the rehearsal compares real row counts (a real project would not seed production).
INSERT INTO clients (name, email)
SELECT 'Client ' || n, 'client' || n || '@example.com' FROM generate_series(1, 200) AS n;

INSERT INTO vehicles (client_id, plate)
SELECT c.id, 'P-' || lpad(c.id::text, 4, '0') || '-' || v FROM clients c, generate_series(1, 2) AS v;

INSERT INTO parking_sessions (vehicle_id, spot_id, entered_at, exited_at)
SELECT v.id, 1 + (v.id * 7 + d) % 360, timestamptz '2026-01-01' + d * interval '1 day' + (v.id % 10) * interval '1 hour',
       timestamptz '2026-01-01' + d * interval '1 day' + (v.id % 10) * interval '1 hour' + (30 + v.id % 300) * interval '1 minute'
FROM vehicles v, generate_series(0, 9) AS d;
