   -- Grant only necessary permissions
   GRANT SELECT, INSERT, UPDATE ON customers TO flowstate_app;
   