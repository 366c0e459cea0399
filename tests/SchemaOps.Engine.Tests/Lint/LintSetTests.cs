using SchemaOps.Engine.Lint;

namespace SchemaOps.Engine.Tests.Lint;

/// <summary>What only a linter that sees the whole set knows: earlier migrations, undo scripts, transaction modes, layouts.</summary>
public class LintSetTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<LintFinding> Lint(LintOptions? options = null) => Linter.LintPaths([_dir.Path], options ?? new LintOptions(), new RecordingSink());

    [Fact]
    public void A_table_created_earlier_in_the_set_needs_no_concurrent_index_and_no_not_valid()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);");
        _dir.Write("U1__users.sql", "DROP TABLE users;");
        _dir.Write("V2__index.sql", "CREATE INDEX users_email ON users (email);\nALTER TABLE users ADD CONSTRAINT e CHECK (email <> '');");
        _dir.Write("U2__index.sql", "DROP INDEX CONCURRENTLY IF EXISTS users_email;");
        _dir.Write("V3__orders.sql", "CREATE INDEX orders_user ON orders (user_id);"); // orders: not created by this set

        var findings = Lint();

        Assert.DoesNotContain(findings, f => f.File.EndsWith("V2__index.sql"));
        Assert.Contains(findings, f => f.File.EndsWith("V3__orders.sql") && f.RuleId == "require-concurrent-index-creation");
        Assert.DoesNotContain(findings, f => f.File.EndsWith("U1__users.sql") && f.RuleId == "ban-drop-table"); // undo drops what the set created
    }

    [Fact]
    public void A_destructive_migration_without_undo_and_an_undo_that_forgets_a_table_are_found()
    {
        _dir.Write("V1__two.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);");
        _dir.Write("U1__two.sql", "DROP TABLE a;");
        _dir.Write("V2__drop.sql", "ALTER TABLE legacy DROP COLUMN old;");

        var findings = Lint();

        var forgot = Assert.Single(findings, f => f.RuleId == "undo-does-not-reverse");
        Assert.EndsWith("U1__two.sql", forgot.File);
        Assert.Contains("table b", forgot.Message);
        Assert.Contains(findings, f => f.RuleId == "destructive-without-undo" && f.File.EndsWith("V2__drop.sql"));
        Assert.DoesNotContain(findings, f => f.RuleId == "destructive-without-undo" && f.File.EndsWith("V1__two.sql"));
    }

    [Fact]
    public void Concurrently_fails_where_a_transaction_is_forced_by_dbmate_or_group_mode()
    {
        _dir.Write("20240101000000_index.sql", "-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS i;\n");
        _dir.Write("20240102000000_index2.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS j ON users (name);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS j;\n");

        var findings = Lint().Where(f => f.RuleId == "ban-concurrent-index-creation-in-transaction").ToList();

        Assert.All(findings, f => Assert.EndsWith("20240101000000_index.sql", f.File));
        Assert.Equal([2, 4], findings.Select(f => f.Line));
        Assert.Contains("transaction:false", findings[0].Message);
    }

    [Fact]
    public void Group_mode_makes_every_concurrent_statement_an_error()
    {
        _dir.Write("V1__index.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);");
        Assert.DoesNotContain(Lint(), f => f.Severity == LintSeverity.Error);
        Assert.Contains(Lint(new LintOptions { Group = true }), f => f.RuleId == "ban-concurrent-index-creation-in-transaction" && f.Message.Contains("group mode"));
    }
}
