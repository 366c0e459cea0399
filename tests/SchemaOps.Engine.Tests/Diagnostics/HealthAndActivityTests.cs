using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Diagnostics;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Diagnostics;

public class HealthAndActivityTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private async Task<Dictionary<string, HealthCheck>> HealthAsync(HealthOptions? options = null, MigrationRequest? request = null) =>
        (await HealthOperation.CheckAsync(request ?? Request(), options ?? new HealthOptions(), new RecordingSink(), CancellationToken.None)).ToDictionary(c => c.Name);

    [Fact]
    public async Task A_prepared_transaction_older_than_the_threshold_fails_its_check_naming_it_and_what_ends_it()
    {
        await ExecAsync("CREATE TABLE t (id int)");
        Assert.Equal("no prepared transaction", (await HealthAsync())["PreparedTransactions"].Detail);
        var gid = $"xa-{Guid.NewGuid():N}";
        await ExecAsync($"BEGIN; INSERT INTO t VALUES (1); PREPARE TRANSACTION '{gid}'");
        try
        {
            var young = (await HealthAsync())["PreparedTransactions"];
            Assert.True(young.Passed, young.Detail); // two-phase commit at work: prepared a moment ago
            Assert.Equal("1 prepared transaction(s), none older than 300 s", young.Detail);

            await Task.Delay(50);
            var stale = (await HealthAsync(new HealthOptions { LongTransaction = TimeSpan.FromMilliseconds(10) }))["PreparedTransactions"];
            Assert.False(stale.Passed);
            Assert.StartsWith($"prepared transaction '{gid}' (owner postgres, prepared ", stale.Detail);
            Assert.EndsWith($"until COMMIT PREPARED '{gid}' or ROLLBACK PREPARED '{gid}' ends it (its transaction manager knows which)", stale.Detail);
        }
        finally
        {
            await ExecAsync($"ROLLBACK PREPARED '{gid}'");
        }
    }

    [Fact]
    public async Task Commits_that_would_wait_for_a_synchronous_standby_that_is_not_there_are_a_failed_check_and_a_warning_before_the_first()
    {
        // synchronous_standby_names naming a standby that is down: every COMMIT waits until it is back. A migration
        // hung at its first commit with nothing said. A server of its own: the setting is the whole server's.
        await using var server = await SchemaOps.Engine.Ephemeral.EphemeralPostgres.StartAsync();
        var database = await server.CreateDatabaseAsync();
        async Task AdminAsync(string sql)
        {
            await using var c = new NpgsqlConnection(server.ConnectionString());
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }
        await AdminAsync($"ALTER DATABASE \"{database}\" SET synchronous_commit = on"); // the throwaway server's default is off
        await AdminAsync("ALTER SYSTEM SET synchronous_standby_names = 'ghost'; SELECT pg_reload_conf()");
        Dir.Write("V1__t.sql", "CREATE TABLE t (id int);");
        var request = new MigrationRequest(ConnectionTarget.Parse(server.ConnectionString(database)), new MigrationSettings { Locations = [Dir.Path] });

        var before = await HealthAsync(request: request);
        var sink = new RecordingSink();
        var migrate = MigrateOperation.MigrateAsync(request, sink, CancellationToken.None);
        await using (var watcher = new NpgsqlConnection(server.ConnectionString()))
        {
            await watcher.OpenAsync();
            await using var waiting = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND wait_event = 'SyncRep'", watcher);
            for (var i = 0; i < 600 && (long)(await waiting.ExecuteScalarAsync())! == 0; i++) await Task.Delay(50);
        }
        await AdminAsync("ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf()"); // the standby "comes back"
        var applied = await migrate;
        var after = await HealthAsync(request: request);

        Assert.False(before["SynchronousReplication"].Passed);
        Assert.Contains("synchronous_standby_names = 'ghost'", before["SynchronousReplication"].Detail);
        Assert.Contains(sink.Warnings, w => w.Contains("none is streaming") && w.Contains("wait at its first commit"));
        Assert.Single(applied);
        Assert.True(after["SynchronousReplication"].Passed, after["SynchronousReplication"].Detail);
    }

    [Fact]
    public async Task A_caught_up_standby_of_a_quiet_primary_does_not_lag_and_a_primary_names_its_standby()
    {
        // Measured as now() minus the last replayed commit, a standby of a primary with nothing to commit (a maintenance
        // window's quiet) "lagged" more every second and failed the check, although it had replayed everything.
        await using var standby = await Standby.StartAsync(_pg.Server);
        await ExecAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1);");
        await Task.Delay(2500); // quiet: nothing more to replay

        var onStandby = await HealthAsync(new HealthOptions { MaxReplicationLag = TimeSpan.FromSeconds(1) },
            new MigrationRequest(ConnectionTarget.Parse(standby.ConnectionString(new NpgsqlConnectionStringBuilder(ConnectionString).Database!)), new MigrationSettings()));
        Assert.True(onStandby["ReplicationLag"].Passed, onStandby["ReplicationLag"].Detail);
        Assert.Equal("this standby: 0 s (limit 1 s)", onStandby["ReplicationLag"].Detail);

        var onPrimary = await HealthAsync(new HealthOptions { MaxReplicationLag = TimeSpan.FromSeconds(1) });
        Assert.True(onPrimary["ReplicationLag"].Passed, onPrimary["ReplicationLag"].Detail);
        Assert.StartsWith("walreceiver: ", onPrimary["ReplicationLag"].Detail);
    }

    [Fact]
    public async Task A_healthy_database_passes_every_check_and_each_problem_fails_its_own()
    {
        var healthy = await HealthAsync();
        Assert.Equal(["Connectivity", "Connections", "LongTransactions", "PreparedTransactions", "InvalidIndexes", "FailedMigrations", "SynchronousReplication", "ReplicationLag"], healthy.Keys);
        Assert.All(healthy.Values, c => Assert.True(c.Passed, c.ToString()));
        Assert.StartsWith("PostgreSQL 15", healthy["Connectivity"].Detail);
        Assert.Equal("no replicas", healthy["ReplicationLag"].Detail);

        // An invalid index from a failed concurrent build, a failed migration, and an old open transaction.
        Dir.Write("V1__ok.sql", "CREATE TABLE ok (id int);");
        Dir.Write("V2__broken.sql", "CREATE INDEX CONCURRENTLY broken ON missing_table (id);");
        Assert.Equal("MigrationFailed", (await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync())).ErrorId);
        await ExecAsync("CREATE TABLE t (v int); INSERT INTO t VALUES (1), (1);");
        await Assert.ThrowsAsync<PostgresException>(() => ExecAsync("CREATE UNIQUE INDEX CONCURRENTLY t_v ON t (v)"));
        await using var idle = new NpgsqlConnection(ConnectionString + ";Pooling=false;Application Name=forgotten-psql");
        await idle.OpenAsync();
        await new NpgsqlCommand("BEGIN; SELECT 1", idle).ExecuteNonQueryAsync();
        await Task.Delay(300);

        var sick = await HealthAsync(new HealthOptions { LongTransaction = TimeSpan.FromMilliseconds(100), MaxConnectionUsePercent = 1 });

        Assert.False(sick["InvalidIndexes"].Passed);
        Assert.Contains("public.t_v on t; drop it (DROP INDEX CONCURRENTLY public.t_v) and build it again", sick["InvalidIndexes"].Detail);
        Assert.False(sick["FailedMigrations"].Passed);
        Assert.Contains("V2", sick["FailedMigrations"].Detail);
        Assert.False(sick["LongTransactions"].Passed);
        Assert.Contains($"pid {idle.ProcessID}", sick["LongTransactions"].Detail);
        Assert.False(sick["Connections"].Passed); // 1% of 300 is under any real use
        Assert.True(sick["Connectivity"].Passed);
    }

    [Fact]
    public async Task An_unreachable_database_is_one_failed_connectivity_check()
    {
        var request = new MigrationRequest(ConnectionTarget.Parse("postgres://postgres:secret-pw@127.0.0.1:1/nowhere?connect_timeout=2"), new MigrationSettings());
        var checks = await HealthAsync(request: request);
        var c = Assert.Single(checks.Values);
        Assert.Equal(("Connectivity", false), (c.Name, c.Passed));
        Assert.DoesNotContain("secret-pw", c.Detail);
    }

    [Fact]
    public async Task Activity_flags_idle_in_transaction_and_long_running_sessions_and_sums_them_up()
    {
        await using var idle = new NpgsqlConnection(ConnectionString + ";Pooling=false;Application Name=forgotten-psql");
        await idle.OpenAsync();
        await new NpgsqlCommand("BEGIN; SELECT 1", idle).ExecuteNonQueryAsync();
        await using var busy = new NpgsqlConnection(ConnectionString + ";Pooling=false;Application Name=report-job");
        await busy.OpenAsync();
        var sleeping = new NpgsqlCommand("SELECT pg_sleep(3)", busy).ExecuteNonQueryAsync();
        await Task.Delay(300);
        var target = ConnectionTarget.Parse(ConnectionString);

        var sessions = await ActivityOperation.SessionsAsync(target, TimeSpan.FromMilliseconds(100), 120, new RecordingSink(), CancellationToken.None);
        var summary = await ActivityOperation.SummaryAsync(target, TimeSpan.FromMilliseconds(100), new RecordingSink(), CancellationToken.None);
        await sleeping;

        var forgotten = Assert.Single(sessions, s => s.Pid == idle.ProcessID);
        Assert.True(forgotten.IdleInTransaction);
        Assert.False(forgotten.LongRunning);
        var job = Assert.Single(sessions, s => s.Pid == busy.ProcessID);
        Assert.True(job.LongRunning);
        Assert.Equal("SELECT pg_sleep(3)", job.Query);
        Assert.Equal(300, summary.MaxConnections);
        Assert.True(summary.IdleInTransaction >= 1 && summary.LongRunning >= 1 && summary.Connections >= 3);
    }
}
