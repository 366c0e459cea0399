using SchemaOps.Engine.Lint;

namespace SchemaOps.Engine.Tests.Lint;

/// <summary>Every statement rule: a firing case, a near miss that must not fire, and the firing case suppressed.</summary>
public class LintRuleTests
{
    private static IReadOnlyList<LintFinding> Lint(string sql, LintOptions? options = null) => Linter.LintText(sql, "V1__x.sql", options ?? new LintOptions());

    // Rules about the whole script, not one statement: only the file-wide comment silences them.
    private static readonly string[] ScriptRules = ["mixed-ddl-dml", "transaction-nesting", "ban-uncommitted-transaction"];

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "require-concurrent-index-creation", "CREATE INDEX i ON users (email);", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);" },
        { "require-concurrent-index-deletion", "DROP INDEX i;", "DROP INDEX CONCURRENTLY IF EXISTS i;" },
        { "adding-field-with-default", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();", "ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();" },
        { "adding-required-field", "ALTER TABLE users ADD COLUMN level int NOT NULL;", "ALTER TABLE users ADD COLUMN level int NOT NULL DEFAULT 0;" },
        { "adding-not-nullable-field", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", "ALTER TABLE users ALTER COLUMN email DROP DEFAULT;" },
        { "adding-foreign-key-constraint", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;" },
        { "constraint-missing-not-valid", "ALTER TABLE orders ADD CONSTRAINT positive CHECK (amount > 0);", "ALTER TABLE orders ADD CONSTRAINT positive CHECK (amount > 0) NOT VALID;" },
        { "constraint-missing-not-valid", "ALTER TABLE users ADD CONSTRAINT u UNIQUE (email);", "ALTER TABLE users ADD COLUMN code text UNIQUE CHECK (length(code) > 0);" },
        { "disallowed-unique-constraint", "ALTER TABLE users ADD CONSTRAINT u UNIQUE (email);", "ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email;" },
        { "changing-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint;", "ALTER TABLE users ALTER COLUMN id SET DEFAULT 1;" },
        { "ban-drop-column", "ALTER TABLE users DROP COLUMN nickname;", "ALTER TABLE users DROP CONSTRAINT u;" },
        { "ban-drop-table", "DROP TABLE users;", "DROP VIEW user_list;" },
        { "ban-drop-database", "DROP DATABASE shop;", "DROP SCHEMA scratch;" },
        { "ban-drop-not-null", "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;", "ALTER TABLE users ALTER COLUMN email DROP DEFAULT;" },
        { "renaming-column", "ALTER TABLE users RENAME COLUMN name TO full_name;", "ALTER TABLE users RENAME CONSTRAINT a TO b;" },
        { "renaming-table", "ALTER TABLE users RENAME TO customers;", "ALTER INDEX users_pkey RENAME TO customers_pkey;" },
        { "ban-char-field", "CREATE TABLE codes (code char(3));", "CREATE TABLE codes (code character varying(3));" },
        { "ban-truncate-cascade", "TRUNCATE users CASCADE;", "TRUNCATE users;" },
        { "prefer-repack", "VACUUM FULL users;", "VACUUM ANALYZE users;" },
        { "require-enum-value-ordering", "ALTER TYPE mood ADD VALUE 'meh';", "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';" },
        { "unbatched-backfill", "UPDATE users SET active = true;", "UPDATE users SET active = true WHERE id BETWEEN 1 AND 10000;" },
        { "transaction-nesting", "BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;\nCOMMIT;", "BEGIN;\nSELECT 1;\nCOMMIT;" },
        { "transaction-nesting", "BEGIN;\nUPDATE a SET x = 1 WHERE id = 1;\nCOMMIT;\nBEGIN;\nUPDATE b SET x = 1 WHERE id = 1;\nCOMMIT;", "UPDATE a SET x = 1 WHERE id = 1;\nUPDATE b SET x = 1 WHERE id = 1;" },
        { "ban-uncommitted-transaction", "BEGIN;\nCREATE TABLE t (id int);", "BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;" },
        { "ban-concurrent-index-creation-in-transaction", "BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\nCOMMIT;", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);" },
        { "prefer-robust-stmts", "CREATE INDEX CONCURRENTLY i ON users (email);", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);" },
        { "disallowed-unique-constraint", "ALTER TABLE users ADD COLUMN code text UNIQUE;", "ALTER TABLE users ADD PRIMARY KEY (id);" },
        { "adding-serial-primary-key-field", "ALTER TABLE users ADD PRIMARY KEY (id);", "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id;" },
        { "adding-serial-primary-key-field", "ALTER TABLE users ADD COLUMN id bigserial PRIMARY KEY;", "CREATE TABLE users (id bigint PRIMARY KEY);" },
        { "require-concurrent-partition-detach", "ALTER TABLE events DETACH PARTITION events_2020;", "ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;" },
        { "require-concurrent-reindex", "REINDEX INDEX users_email;", "REINDEX INDEX CONCURRENTLY users_email;" },
        { "ban-create-domain-with-constraint", "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');", "CREATE DOMAIN email AS text DEFAULT '';" },
        { "ban-create-domain-with-constraint", "CREATE DOMAIN code AS text NOT NULL;", "CREATE TABLE codes (code text NOT NULL CHECK (code <> ''));" },
        { "ban-alter-domain-with-add-constraint", "ALTER DOMAIN email ADD CONSTRAINT at CHECK (VALUE LIKE '%@%');", "ALTER DOMAIN email DROP CONSTRAINT at;" },
        { "ban-duplicate-column-assignments", "UPDATE users SET name = 'a', email = 'b', name = 'c' WHERE id = 1;", "UPDATE users SET name = coalesce(name, 'a'), email = lower(name) WHERE id = 1;" },
        { "ban-duplicate-column-assignments", "INSERT INTO users (id, name, id) VALUES (1, 'a', 2);", "INSERT INTO users (id, name) SELECT id, name FROM old_users;" },
        { "ban-duplicate-column-assignments", "INSERT INTO users (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET (name, email) = ('a', 'b'), name = 'c';", "INSERT INTO users (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET name = excluded.name;" },
        { "identifier-too-long", "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_by_email_and_name_and_creation_time_and_everything_else_too ON users (email);", "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_by_email ON users (email);" },
        { "identifier-too-long", "CREATE TABLE \"ünïcödé_names_take_two_bytes_per_letter_so_this_one_is_too_long\" (id bigint);", "CREATE TABLE \"a_quoted_name_of_exactly_sixty_three_bytes_which_postgres_keeps\" (id bigint);" },
        { "prefer-bigint-over-int", "CREATE TABLE t (id bigint, n int);", "CREATE TABLE t (id bigint, n bigint, c int8, label text CHECK (length(label)::int < 10));" },
        { "prefer-bigint-over-int", "ALTER TABLE t ADD COLUMN n integer;", "ALTER TABLE t ADD COLUMN n bigint;" },
        { "prefer-bigint-over-int", "ALTER TABLE t ALTER COLUMN n TYPE pg_catalog.int4;", "ALTER TABLE t ALTER COLUMN n TYPE bigint;" },
        { "prefer-bigint-over-smallint", "CREATE TABLE t (id bigint, n smallint);", "CREATE TABLE t (id bigint, smallint_count bigint);" },
        { "prefer-identity", "CREATE TABLE t (id bigserial PRIMARY KEY);", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);" },
        { "prefer-text-field", "CREATE TABLE t (name varchar(100));", "CREATE TABLE t (name varchar, other text);" },
        { "prefer-text-field", "ALTER TABLE t ADD COLUMN name character varying (100);", "ALTER TABLE t ADD COLUMN name character varying;" },
        { "prefer-timestamp-tz", "CREATE TABLE t (at timestamp(3), other timestamptz);", "CREATE TABLE t (at timestamp(3) with time zone, \"timestamp\" timestamptz);" },
        { "prefer-timestamp-tz", "ALTER TABLE t ADD COLUMN at timestamp without time zone;", "ALTER TABLE t ADD COLUMN at timestamp with time zone;" },
        { "mixed-ddl-dml", "ALTER TABLE users ADD COLUMN level int;\nUPDATE users SET level = 1 WHERE level IS NULL;", "CREATE TABLE levels (id int);\nINSERT INTO levels VALUES (1);" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fires_on_the_risky_statement_not_on_its_near_miss_and_not_when_suppressed(string rule, string firing, string nearMiss)
    {
        var fired = Lint(firing).Where(f => f.RuleId == rule).ToList();
        Assert.True(fired.Count > 0, $"{rule} did not fire on: {firing}");
        Assert.All(fired, f => Assert.True(f.Line >= 1 && f.Column >= 1 && f.Message.Length > 0));
        Assert.DoesNotContain(Lint(nearMiss), f => f.RuleId == rule);

        // A statement rule is silenced by the comment before the statement; every rule by the file-wide one.
        if (!ScriptRules.Contains(rule))
            Assert.DoesNotContain(Lint($"-- squawk-ignore {rule}\n{firing}".Replace("\n", "\n-- squawk-ignore " + rule + "\n")), f => f.RuleId == rule);
        Assert.DoesNotContain(Lint($"-- schemaops-ignore-file {rule}\n{firing}"), f => f.RuleId == rule);
    }

    [Fact]
    public void Words_inside_comments_and_strings_never_fire()
    {
        var findings = Lint("""
            -- DROP TABLE users; CREATE INDEX i ON users (email);
            /* ALTER TABLE users DROP COLUMN x; */
            SELECT 'DROP TABLE users', $$ALTER TABLE users RENAME TO x$$;
            COMMENT ON TABLE users IS 'we will DROP DATABASE one day';
            """);
        Assert.Empty(findings);
    }

    [Fact]
    public void Other_rules_in_the_comment_do_not_silence_a_rule_and_the_ignore_reaches_only_the_next_statement()
    {
        var findings = Lint("-- squawk-ignore ban-drop-column\nDROP TABLE a;\nDROP TABLE b;");
        Assert.Equal([2, 3], findings.Where(f => f.RuleId == "ban-drop-table").Select(f => f.Line));
        var one = Lint("-- squawk-ignore ban-drop-table\nDROP TABLE a;\nDROP TABLE b;");
        Assert.Equal([3], one.Where(f => f.RuleId == "ban-drop-table").Select(f => f.Line));
    }

    [Fact]
    public void Unreadable_text_is_a_finding_never_skipped()
    {
        var f = Assert.Single(Lint("SELECT 1;\nSELECT 'never closed;\n"));
        Assert.Equal(("syntax-error", LintSeverity.Error, 2), (f.RuleId, f.Severity, f.Line));
    }

    [Fact]
    public void A_psql_command_the_runner_refuses_is_an_error_and_pg_dumps_restrict_pair_is_not()
    {
        var f = Assert.Single(Lint("SELECT 1;\n\\i seed.sql\n"));
        Assert.Equal(("psql-meta-command", LintSeverity.Error, 2), (f.RuleId, f.Severity, f.Line));
        Assert.Contains("\\i is a psql command", f.Message);
        Assert.Empty(Lint("\\restrict K\nSELECT 1;\n\\unrestrict K\n"));
    }

    [Fact]
    public void Before_PostgreSQL_11_any_default_rewrites_the_table()
    {
        Assert.DoesNotContain(Lint("ALTER TABLE users ADD COLUMN n int DEFAULT 0;"), f => f.RuleId == "adding-field-with-default");
        Assert.Contains(Lint("ALTER TABLE users ADD COLUMN n int DEFAULT 0;", new LintOptions { PostgresMajor = 10 }), f => f.RuleId == "adding-field-with-default");
    }

    [Theory]
    [InlineData("REINDEX INDEX users_email;", "require-concurrent-reindex", 11)]                          // REINDEX CONCURRENTLY came in 12
    [InlineData("ALTER TABLE events DETACH PARTITION e1;", "require-concurrent-partition-detach", 13)]    // DETACH ... CONCURRENTLY in 14
    public void A_concurrent_form_is_only_asked_for_where_the_server_has_it(string sql, string rule, int olderServer)
    {
        Assert.Contains(Lint(sql), f => f.RuleId == rule);
        Assert.DoesNotContain(Lint(sql, new LintOptions { PostgresMajor = olderServer }), f => f.RuleId == rule);
    }

    [Fact]
    public void An_opt_in_rule_is_silent_until_the_rules_file_turns_it_on()
    {
        const string sql = "CREATE TABLE users (id bigint);\nALTER TABLE public.users ADD COLUMN name text;\nDROP TABLE IF EXISTS \"Old\";";
        Assert.DoesNotContain(Lint(sql), f => f.RuleId == "require-table-schema");

        var on = new LintOptions { Rules = LintRuleSettings.Default.With("require-table-schema", LintSeverity.Error) };
        var findings = Lint(sql, on).Where(f => f.RuleId == "require-table-schema").ToList();
        Assert.Equal([(1, LintSeverity.Error), (3, LintSeverity.Error)], findings.Select(f => (f.Line, f.Severity)));
        // The comment pushes CREATE TABLE to line 2.
        Assert.DoesNotContain(Lint("-- squawk-ignore require-table-schema\n" + sql, on), f => f.Line == 2 && f.RuleId == "require-table-schema");
    }
}
