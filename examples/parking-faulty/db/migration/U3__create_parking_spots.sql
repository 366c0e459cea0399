DROP TABLE parking_spots;
DROP TYPE spot_kind;
