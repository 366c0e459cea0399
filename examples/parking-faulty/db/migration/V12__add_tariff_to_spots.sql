-- Nullable and NOT VALID: no rewrite, no scan of parking_spots under lock. Validated in V13.
ALTER TABLE parking_spots ADD COLUMN tariff_id bigint;
ALTER TABLE parking_spots ADD CONSTRAINT parking_spots_tariff_fk FOREIGN KEY (tariff_id) REFERENCES tariffs (id) NOT VALID;
