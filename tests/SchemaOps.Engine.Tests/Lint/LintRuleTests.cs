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
    public void Before_PostgreSQL_11_any_default_rewrites_the_table()
    {
        Assert.DoesNotContain(Lint("ALTER TABLE users ADD COLUMN n int DEFAULT 0;"), f => f.RuleId == "adding-field-with-default");
        Assert.Contains(Lint("ALTER TABLE users ADD COLUMN n int DEFAULT 0;", new LintOptions { PostgresMajor = 10 }), f => f.RuleId == "adding-field-with-default");
    }
}
