COMMENT ON TABLE ${flyway:defaultSchema}.payments IS NULL;
COMMENT ON TABLE ${flyway:defaultSchema}.permits IS NULL;
