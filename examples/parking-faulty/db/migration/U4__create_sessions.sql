-- The occupancy view (a repeatable migration) is built on this table: drop it first; it is re-created
-- after the table comes back (SchemaOps re-runs a repeatable that ran on top of an undone migration).
DROP VIEW IF EXISTS spot_occupancy;
DROP TABLE parking_sessions;
