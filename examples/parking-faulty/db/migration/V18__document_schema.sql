-- Placeholders: Flyway's built-ins name the schema and the user this runs as, wherever it is deployed.
COMMENT ON TABLE ${flyway:defaultSchema}.payments IS 'One payment per settled parking session';
COMMENT ON TABLE ${flyway:defaultSchema}.permits IS 'Monthly permits; maintained by ${flyway:user}';
