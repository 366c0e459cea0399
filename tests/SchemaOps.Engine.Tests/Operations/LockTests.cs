using Npgsql;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.History;

namespace SchemaOps.Engine.Tests.Operations;

public class LockTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    [Fact]
    public void Uses_flyways_advisory_lock_key()
    {
        Assert.Equal(77433833903597, MigrationLock.KeyFor(new HistoryTableName("public", "flyway_schema_history")));
    }

    [Fact]
    public async Task Gives_up_after_the_wait_with_the_holders_details()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await using var holder = new NpgsqlConnection(ConnectionString + ";Application Name=other-runner");
        await holder.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_lock(77433833903597)", holder)) await cmd.ExecuteNonQueryAsync();
        var sink = new RecordingSink();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { LockWaitTimeout = TimeSpan.FromMilliseconds(600) }, sink));

        Assert.Equal("MigrationLockTimeout", e.ErrorId);
        Assert.Equal(SchemaOpsErrorCategory.ResourceBusy, e.Category);
        Assert.Contains("other-runner", e.Message);
        Assert.Contains(sink.Warnings, w => w.Contains("waiting"));
        Assert.False(await TableExistsAsync("a"));
    }

    [Fact]
    public async Task Eight_runners_at_once_apply_each_migration_exactly_once()
    {
        for (var i = 1; i <= 20; i++) Dir.Write($"V{i}__t{i}.sql", $"CREATE TABLE t{i} (id int); SELECT pg_sleep(0.01);");
        Dir.Write("R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;");

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => MigrateAsync())));

        Assert.Equal(21, runs.Sum(r => r.Count));
        var history = await HistoryAsync();
        Assert.Equal(21, history.Count);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => i.ToString()), history.Select(h => h.Split('|')[0]));
    }

    [Fact]
    public async Task A_waiting_runner_never_deadlocks_create_index_concurrently()
    {
        // Flyway #3497: a runner blocked on the lock holds a snapshot, and CREATE INDEX CONCURRENTLY in the
        // runner that owns the lock waits for older snapshots. SchemaOps waiters poll, so the index builds.
        Dir.Write("V1__t.sql", "CREATE TABLE t (a int); INSERT INTO t SELECT generate_series(1, 1000);");
        // The sleep beside the index is a mix Flyway's mixed=true allows (it holds the lock while the second runner starts).
        Dir.Write("V2__idx.sql", "SELECT pg_sleep(1.5);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");

        var first = Task.Run(() => MigrateAsync(s => s with { Mixed = true }));
        await WaitForAsync("SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%' AND state = 'active'");
        var second = Task.Run(() => MigrateAsync(s => s with { Mixed = true }));
        var results = await Task.WhenAll(first, second);

        Assert.Equal(2, results.Sum(r => r.Count));
        Assert.True(await ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_a'::regclass"));
    }

    private async Task WaitForAsync(string condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await ScalarAsync<bool>(condition)) return;
            await Task.Delay(25);
        }
        throw new TimeoutException(condition);
    }
}
