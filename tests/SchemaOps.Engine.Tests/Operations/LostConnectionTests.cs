using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// The connection lost in the middle of a migration (the server ends the session: a failover, an administrator's
/// pg_terminate_backend, a restart): the migration is either wholly there with its history row or not at all, the
/// error says which, and the next run completes.
/// </summary>
public class LostConnectionTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private async Task TerminateWhenRunningAsync(string query)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await ScalarAsync<bool>($"SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity WHERE query LIKE '%{query}%' AND pid <> pg_backend_pid() AND state = 'active'"))
                return;
            await Task.Delay(25);
        }
        throw new TimeoutException(query);
    }

    [Fact]
    public async Task A_transactional_migration_whose_session_is_ended_is_rolled_back_unrecorded_and_the_next_run_applies_it_once()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__slow.sql", "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT pg_sleep(30);\nCREATE TABLE b (id int);\n");

        var run = MigrateAsync();
        await TerminateWhenRunningAsync("pg_sleep(30)");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => run);

        Assert.Equal("MigrationFailed", e.ErrorId);
        Assert.Contains("V2__slow.sql:3: 57P01: terminating connection due to administrator command. (rolled back, nothing recorded)", e.Message);
        Assert.False(await TableExistsAsync("half"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL"));

        Dir.Write("V2__slow.sql", "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT pg_sleep(0);\nCREATE TABLE b (id int);\n");
        Assert.Equal(["2"], (await MigrateAsync()).Select(r => r.Version?.Text));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM half"));
    }

    [Fact]
    public async Task A_migration_outside_a_transaction_whose_session_is_ended_says_what_may_stay_and_nothing_is_recorded_as_applied()
    {
        Dir.Write("V1__idx.sql", "CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nSELECT pg_sleep(30);\n");

        var run = MigrateAsync(s => s with { Mixed = true });
        await TerminateWhenRunningAsync("pg_sleep(30)");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => run);

        Assert.Equal("MigrationFailedUnrecorded", e.ErrorId);
        Assert.Contains("V1", e.Message);
        Assert.True(await TableExistsAsync("t")); // its first statements stay, as the error says
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"));
    }
}
