UPDATE parking_spots SET tariff_id = NULL WHERE tariff_id IS NOT NULL;
