   DELETE FROM flyway_schema_history 
   WHERE version = 'X' AND success = false;
   