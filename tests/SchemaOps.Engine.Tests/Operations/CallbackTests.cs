using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

public class CallbackTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private void WriteCallbacks()
    {
        Dir.Write("callbacks/beforeMigrate.sql", "CREATE TABLE IF NOT EXISTS audit (n serial, event text);\nINSERT INTO audit (event) VALUES ('before');");
        Dir.Write("callbacks/beforeEachMigrate.sql", "INSERT INTO audit (event) VALUES ('before each');");
        Dir.Write("callbacks/afterEachMigrate__count.sql", "INSERT INTO audit (event) VALUES ('after each');");
        Dir.Write("callbacks/afterMigrate__grants.sql", "INSERT INTO audit (event) VALUES ('after');");
        Dir.Write("callbacks/afterMigrateError.sql", "INSERT INTO audit (event) VALUES ('error');");
    }

    private Task<string?> AuditAsync() => ScalarAsync<string>("SELECT string_agg(event, ',' ORDER BY n) FROM audit");

    [Fact]
    public async Task Run_around_the_run_and_inside_each_migrations_transaction()
    {
        WriteCallbacks();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");

        var applied = await MigrateAsync();

        Assert.Equal(["1", "2"], applied.Select(r => r.Version)); // callbacks are not migrations
        Assert.Equal("before,before each,after each,before each,after each,after", await AuditAsync());
        Assert.Empty(await MigrateAsync()); // nothing to apply: no callbacks either
        Assert.Equal("before,before each,after each,before each,after each,after", await AuditAsync());
    }

    [Fact]
    public async Task A_failing_migration_takes_its_each_callbacks_with_it_and_runs_afterMigrateError()
    {
        WriteCallbacks();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__bad.sql", "SELECT nope;");

        await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("before,before each,after each,error", await AuditAsync());
    }

    [Fact]
    public async Task A_failing_callback_is_named_by_file_and_line_and_other_events_are_reported_not_ignored()
    {
        Dir.Write("beforeEachMigrate.sql", "SELECT 1;\nSELECT missing_column FROM pg_class;");
        Dir.Write("beforeValidate.sql", "SELECT 1;");
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var sink = new RecordingSink();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(sink: sink));

        Assert.Contains("beforeEachMigrate.sql:2", e.Message);
        Assert.False(await TableExistsAsync("a"));
        Assert.Contains(sink.Warnings, w => w.Contains("beforeValidate") && w.Contains("not run by SchemaOps yet"));
    }

    [Fact]
    public async Task The_dry_run_shows_the_callbacks_where_they_run()
    {
        WriteCallbacks();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var file = Path.Combine(Path.GetTempPath(), $"schemaops-cb-{Guid.NewGuid():N}.sql");

        await MigrateOperation.DryRunAsync(Request(), file, new RecordingSink(), CancellationToken.None);

        var text = await File.ReadAllTextAsync(file);
        File.Delete(file);
        var order = new[] { "callback beforeMigrate", "-- V1 a", "callback beforeEachMigrate", "CREATE TABLE a", "callback afterEachMigrate", "callback afterMigrate:" }
            .Select(t => text.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
    }
}
