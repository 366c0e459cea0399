-- FAULT (undo that does not reverse): drops the constraint but forgets the column V12 added.
ALTER TABLE parking_spots DROP CONSTRAINT parking_spots_tariff_fk;
