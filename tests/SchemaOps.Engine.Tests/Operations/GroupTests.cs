using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>-Group: all pending migrations in one transaction, all or nothing.</summary>
public class GroupTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static MigrationSettings Grouped(MigrationSettings s) => s with { Group = true };

    [Fact]
    public async Task Applies_everything_in_one_transaction_with_each_migrations_own_time()
    {
        Dir.Write("V1__slow.sql", "CREATE TABLE a (id int);\nSELECT pg_sleep(0.3);");
        Dir.Write("V2__quick.sql", "CREATE TABLE b (id int);");
        Dir.Write("R__view.sql", "CREATE OR REPLACE VIEW ab AS SELECT a.id FROM a JOIN b USING (id);");

        var applied = await MigrateAsync(Grouped);

        Assert.Equal(["1", "2", null], applied.Select(r => r.Version?.Text));
        Assert.Equal([1, 2, 3], applied.Select(r => r.InstalledRank ?? 0));
        Assert.True(applied[0].ExecutionTime >= 300);
        Assert.True(applied[1].ExecutionTime < 300, $"V2's time {applied[1].ExecutionTime} ms includes V1's");
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM flyway_schema_history")); // one transaction wrote all rows
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed, r.Detail));
    }

    [Fact]
    public async Task A_failure_anywhere_leaves_nothing_of_the_group()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await MigrateAsync(); // the history table exists; the group below starts from V2
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");
        Dir.Write("V3__c.sql", "CREATE TABLE c (id int);\nINSERT INTO c VALUES ('x');");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(Grouped));

        Assert.Contains("V3__c.sql:2", e.Message);
        Assert.Contains("the whole group of 2 migrations was rolled back", e.Message);
        Assert.False(await TableExistsAsync("b"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history"));
    }

    [Fact]
    public async Task A_script_that_cannot_run_in_a_transaction_is_refused_by_name_before_anything_runs()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__idx.sql", "CREATE INDEX CONCURRENTLY a_id ON a (id);");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(Grouped));

        Assert.Equal("GroupNeedsTransactions", e.ErrorId);
        Assert.Contains("V2__idx.sql cannot run inside a transaction (CREATE INDEX CONCURRENTLY at line 1)", e.Message);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
    }

    [Fact]
    public async Task The_dry_run_of_a_group_is_one_transaction()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");
        var file = Path.Combine(Path.GetTempPath(), $"schemaops-group-{Guid.NewGuid():N}.sql");

        await MigrateOperation.DryRunAsync(Request(Grouped), file, new RecordingSink(), CancellationToken.None);

        var text = await File.ReadAllTextAsync(file);
        File.Delete(file);
        Assert.Contains("-- 2 migrations in one transaction: all or none\nBEGIN;", text);
        Assert.Equal(2, text.Split("COMMIT;").Length - 1); // the setup's and the group's
    }
}
