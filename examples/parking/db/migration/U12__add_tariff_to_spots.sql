ALTER TABLE parking_spots DROP CONSTRAINT parking_spots_tariff_fk;
ALTER TABLE parking_spots DROP COLUMN tariff_id;
