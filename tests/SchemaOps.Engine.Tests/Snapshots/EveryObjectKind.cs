namespace SchemaOps.Engine.Tests.Snapshots;

/// <summary>A database with every object kind a snapshot records, and data in its tables.</summary>
public static class EveryObjectKind
{
    public const string Sql = """
        CREATE EXTENSION citext;
        CREATE SCHEMA billing;
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TYPE address AS (street text, city varchar(80));
        CREATE TYPE nothing_yet AS ();
        CREATE TYPE price_range AS RANGE (subtype = numeric);
        CREATE DOMAIN positive_int AS integer NOT NULL CHECK (VALUE > 0);
        CREATE SEQUENCE invoice_no START 1000 INCREMENT 5;
        CREATE TABLE customers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email citext NOT NULL UNIQUE,
            name text COLLATE "C" NOT NULL DEFAULT 'anonymous',
            mood mood,
            score positive_int,
            name_length int GENERATED ALWAYS AS (length(name)) STORED,
            dropped_later int);
        ALTER TABLE customers DROP COLUMN dropped_later;
        CREATE TABLE billing.invoices (
            no integer PRIMARY KEY DEFAULT nextval('invoice_no'),
            customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
            issued date NOT NULL DEFAULT current_date);
        CREATE INDEX invoices_customer ON billing.invoices (customer_id) WHERE amount > 0;
        ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;
        CREATE POLICY positive_only ON billing.invoices AS RESTRICTIVE FOR SELECT TO PUBLIC USING (amount >= 0);
        CREATE UNLOGGED TABLE scratch (k text);
        CREATE TABLE events (at date NOT NULL, what text) PARTITION BY RANGE (at);
        CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE VIEW customer_totals AS SELECT c.id, sum(i.amount) AS total FROM customers c JOIN billing.invoices i ON i.customer_id = c.id GROUP BY c.id;
        CREATE MATERIALIZED VIEW mood_counts AS SELECT mood, count(*) AS n FROM customers GROUP BY mood;
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.issued := current_date; RETURN NEW; END $$;
        CREATE TRIGGER invoices_touch BEFORE UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE PROCEDURE billing.close_month(p date) LANGUAGE sql AS $$ DELETE FROM billing.invoices WHERE issued < p $$;
        CREATE AGGREGATE text_concat(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
        GRANT USAGE ON SCHEMA billing TO PUBLIC;
        GRANT SELECT ON customer_totals TO PUBLIC;
        REVOKE EXECUTE ON PROCEDURE billing.close_month(date) FROM PUBLIC;
        INSERT INTO customers (email, name, mood, score) SELECT 'c' || g || '@x.org', 'n' || g, 'ok', g FROM generate_series(1, 50) g;
        INSERT INTO billing.invoices (customer_id, amount) SELECT id, id * 1.5 FROM customers;
        INSERT INTO events VALUES ('2024-03-01', 'launch');
        REFRESH MATERIALIZED VIEW mood_counts;
        """;
}
