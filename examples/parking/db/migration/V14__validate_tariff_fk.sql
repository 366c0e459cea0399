-- VALIDATE takes only a SHARE UPDATE EXCLUSIVE lock: reads and writes go on while it scans.
ALTER TABLE parking_spots VALIDATE CONSTRAINT parking_spots_tariff_fk;
