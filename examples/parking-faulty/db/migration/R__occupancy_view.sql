-- Re-applied whenever it changes.
CREATE OR REPLACE VIEW spot_occupancy AS
SELECT s.level,
       s.kind,
       count(*)                                        AS spots,
       count(ps.id)                                    AS occupied,
       round(100.0 * count(ps.id) / count(*), 1)       AS occupied_pct
FROM parking_spots s
LEFT JOIN parking_sessions ps ON ps.spot_id = s.id AND ps.exited_at IS NULL
GROUP BY s.level, s.kind;
