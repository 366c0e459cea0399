DELETE FROM parking_sessions WHERE entered_at >= '2026-01-01' AND entered_at < '2026-01-11';
DELETE FROM vehicles WHERE plate LIKE 'P-%';
DELETE FROM clients WHERE email LIKE 'client%@example.com';
