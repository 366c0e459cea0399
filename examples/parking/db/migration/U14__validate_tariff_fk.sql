-- A constraint cannot be made NOT VALID again: re-create it as it was before V14.
ALTER TABLE parking_spots DROP CONSTRAINT parking_spots_tariff_fk;
ALTER TABLE parking_spots ADD CONSTRAINT parking_spots_tariff_fk FOREIGN KEY (tariff_id) REFERENCES tariffs (id) NOT VALID;
