using SchemaOps.Engine.Lint;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// A script's own BEGIN/COMMIT/ROLLBACK/SAVEPOINT never has its meaning changed: inside SchemaOps' transaction
/// it is refused (file:line, and the two ways out); run as written (executeInTransaction=false, dbmate's
/// transaction:false, golang-migrate files) it does what it says.
/// </summary>
public class TransactionControlTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    // In a schema of its own: the managed schema (public) stays empty, as a first migration expects.
    private async Task SeedAsync() => await ExecAsync("CREATE SCHEMA data; CREATE TABLE data.keepme (id int); INSERT INTO data.keepme SELECT generate_series(1, 5)");

    public static TheoryData<string, int, string> ControlInTheMiddle() => new()
    {
        { "BEGIN;\nDELETE FROM data.keepme;\nROLLBACK;\n", 1, "BEGIN" },
        { "START TRANSACTION;\nDELETE FROM data.keepme;\nABORT;\n", 1, "START TRANSACTION" },
        { "DELETE FROM data.keepme WHERE id = 1;\nCOMMIT;\nDELETE FROM data.keepme;\n", 2, "COMMIT" },
        { "SAVEPOINT s;\nDELETE FROM data.keepme;\nROLLBACK TO SAVEPOINT s;\n", 1, "SAVEPOINT" },
        { "DELETE FROM data.keepme;\nPREPARE TRANSACTION 'x';\n", 2, "PREPARE TRANSACTION" },
        { "BEGIN ISOLATION LEVEL SERIALIZABLE;\nDELETE FROM data.keepme;\nCOMMIT;\n", 1, "BEGIN" },
        { "BEGIN;\nDELETE FROM data.keepme;\nCOMMIT AND CHAIN;\nEND;\n", 1, "BEGIN" },
    };

    [Theory]
    [MemberData(nameof(ControlInTheMiddle))]
    public async Task Transaction_control_in_a_transactional_migration_is_refused_and_changes_nothing(string sql, int line, string keyword)
    {
        await SeedAsync();
        Dir.Write("V1__purge.sql", sql);

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("TransactionControlInScript", e.ErrorId);
        Assert.StartsWith($"V1__purge.sql:{line}: {keyword} ", e.Message.Replace(Dir.Path + "/", ""));
        Assert.Contains("executeInTransaction=false", e.Message);
        Assert.Contains("transaction:false", e.Message);
        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));
        Assert.False(await TableExistsAsync("flyway_schema_history"));
    }

    [Fact]
    public async Task The_dry_run_plan_refuses_it_too_instead_of_showing_a_commit()
    {
        await SeedAsync();
        Dir.Write("V1__purge.sql", "BEGIN;\nDELETE FROM data.keepme;\nROLLBACK;\n");
        var plan = Path.Combine(Dir.Path, "plan.sql");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.DryRunAsync(Request(), plan, new RecordingSink(), CancellationToken.None));

        Assert.Equal("TransactionControlInScript", e.ErrorId);
        Assert.False(File.Exists(plan));
    }

    [Fact]
    public async Task With_execute_in_transaction_false_the_script_runs_as_written()
    {
        await SeedAsync();
        Dir.Write("V1__purge.sql", "BEGIN;\nDELETE FROM data.keepme;\nROLLBACK;\n");
        Dir.Write("V1__purge.sql.conf", "executeInTransaction=false\n");

        var applied = Assert.Single(await MigrateAsync());

        Assert.False(applied.InTransaction);
        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme")); // the script's ROLLBACK undid its DELETE
        Assert.Equal("1|1|purge|SQL|V1__purge.sql", string.Join('|', (await HistoryAsync())[0].Split('|').Take(5)));
    }

    [Fact]
    public async Task Dbmate_transaction_false_runs_the_section_as_written_and_the_default_refuses_it()
    {
        await SeedAsync();
        Dir.Write("20240101000000_purge.sql", "-- migrate:up\nBEGIN;\nDELETE FROM data.keepme;\nROLLBACK;\n-- migrate:down\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("TransactionControlInScript", e.ErrorId);
        Assert.Contains("20240101000000_purge.sql:2: BEGIN", e.Message);

        Dir.Write("20240101000000_purge.sql", "-- migrate:up transaction:false\nBEGIN;\nDELETE FROM data.keepme;\nROLLBACK;\n-- migrate:down\n");
        Assert.False(Assert.Single(await MigrateAsync()).InTransaction);
        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));
    }

    [Fact]
    public async Task A_golang_migrate_file_runs_as_written_as_golang_migrate_sends_it()
    {
        await SeedAsync();
        Dir.Write("1_purge.up.sql", "BEGIN;\nDELETE FROM data.keepme;\nROLLBACK;\n");

        Assert.False(Assert.Single(await MigrateAsync()).InTransaction);

        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));
    }

    [Fact]
    public async Task A_bare_begin_commit_around_the_whole_script_runs_inside_ours_with_its_history_row()
    {
        await SeedAsync();
        Dir.Write("V1__purge.sql", "BEGIN;\nDELETE FROM data.keepme WHERE id > 3;\nCOMMIT;\n");

        Assert.True(Assert.Single(await MigrateAsync()).InTransaction);

        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));
    }

    [Fact]
    public async Task A_wrapped_script_holding_a_statement_that_needs_no_transaction_is_refused_not_run_piecemeal()
    {
        await SeedAsync();
        Dir.Write("V1__index.sql", "BEGIN;\nDELETE FROM data.keepme WHERE id > 3;\nCREATE INDEX CONCURRENTLY keepme_id ON data.keepme (id);\nCOMMIT;\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("StatementNeedsNoTransaction", e.ErrorId);
        Assert.Contains("V1__index.sql:3: CREATE INDEX CONCURRENTLY", e.Message);
        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));
    }

    [Fact]
    public async Task A_statement_that_cannot_run_in_a_transaction_beside_other_changes_is_refused_unless_mixed_as_in_Flyway()
    {
        // It ran statement by statement with no transaction: the index failing left the DELETE applied and a failed
        // row. Flyway refuses such a script unless mixed=true.
        await SeedAsync();
        Dir.Write("V1__purge.sql", "SET lock_timeout = '1s';\nDELETE FROM data.keepme WHERE id > 3;\nCREATE INDEX CONCURRENTLY keepme_id ON data.keepme (nope);\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("MixedTransactionMode", e.ErrorId);
        Assert.Equal((3, "1"), (e.Line, e.Version));
        Assert.StartsWith("V1__purge.sql:3: CREATE INDEX CONCURRENTLY cannot run inside a transaction, and the script also changes other things (DELETE FROM at line 2)",
            e.Message.Replace(Dir.Path + "/", ""));
        Assert.Contains("mixed=true", e.Message);
        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));
        Assert.False(await TableExistsAsync("flyway_schema_history")); // refused before anything was created

        // Said on purpose (mixed), it runs as Flyway's mixed=true runs it: statement by statement, a failure recorded.
        var failed = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { Mixed = true }));
        Assert.Equal("MigrationFailed", failed.ErrorId);
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));

        // A SET beside the index changes nothing a failure would leave: no mix. Neither is executeInTransaction=false.
        Dir.Write("V1__purge.sql", "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY keepme_id ON data.keepme (id);\n");
        Dir.Write("V2__more.sql", "DELETE FROM data.keepme WHERE id = 3;\nCREATE INDEX CONCURRENTLY keepme_id2 ON data.keepme (id);\n");
        Dir.Write("V2__more.sql.conf", "executeInTransaction=false\n");
        await ExecAsync("DELETE FROM flyway_schema_history");
        Assert.Equal(2, (await MigrateAsync()).Count);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM data.keepme"));
    }

    [Fact]
    public async Task A_dbmate_section_mixing_CONCURRENTLY_runs_only_when_it_says_transaction_false()
    {
        // dbmate runs the section in a transaction, where CONCURRENTLY fails; SchemaOps refuses it before anything
        // runs, naming dbmate's own way out.
        Dir.Write("20240101000000_index.sql", "-- migrate:up\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n-- migrate:down\nDROP TABLE t;\n");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("MixedTransactionMode", e.ErrorId);
        Assert.Contains("transaction:false on its -- migrate:up/down line", e.Message);
        Assert.False(await TableExistsAsync("t"));

        Dir.Write("20240101000000_index.sql", "-- migrate:up transaction:false\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n-- migrate:down\nDROP TABLE t;\n");
        Assert.Single(await MigrateAsync());
        Assert.True(await TableExistsAsync("t_a"));
    }

    [Fact]
    public void Lint_reports_a_mixed_script_as_the_runner_refuses_it_and_not_when_mixed()
    {
        const string sql = "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n";
        var finding = Assert.Single(Linter.LintText(sql, "V1__t.sql", new LintOptions()), f => f.RuleId == "transaction-mode");
        Assert.Equal((LintSeverity.Error, 2), (finding.Severity, finding.Line));
        Assert.Contains("mixed", finding.Message);
        Assert.DoesNotContain(Linter.LintText(sql, "V1__t.sql", new LintOptions { Mixed = true }), f => f.RuleId == "transaction-mode");
    }

    [Fact]
    public void Lint_reports_the_refusal_as_an_error_at_each_control_statement()
    {
        // As squawk reports it: each statement that controls the transaction, not only the first.
        var findings = Linter.LintText("BEGIN;\nDELETE FROM data.keepme WHERE id = 1;\nROLLBACK;\n", "V1__purge.sql", new LintOptions())
            .Where(f => f.RuleId == "transaction-nesting").ToList();

        Assert.Equal([1, 3], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal(LintSeverity.Error, f.Severity));
        Assert.Contains("ROLLBACK controls the transaction", findings[1].Message);
    }
}
