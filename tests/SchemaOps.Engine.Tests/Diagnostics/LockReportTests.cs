using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Diagnostics;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Diagnostics;

public class LockReportTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private async Task<NpgsqlConnection> SessionAsync(string application)
    {
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = application, Pooling = false }.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++) await Task.Delay(50);
    }

    [Fact]
    public async Task Shows_a_blocking_chain_of_three_sessions_as_a_tree()
    {
        await ExecAsync("CREATE TABLE accounts (id int primary key, balance int); INSERT INTO accounts VALUES (1, 10);");
        // The classic outage: a transaction left open after an UPDATE, an ALTER TABLE queued behind it, and
        // every read of the table queued behind the ALTER.
        await using var holder = await SessionAsync("billing-job");
        await using var migration = await SessionAsync("schemaops-test-migration");
        await using var reader = await SessionAsync("web");
        await new NpgsqlCommand("BEGIN; UPDATE accounts SET balance = 11 WHERE id = 1", holder).ExecuteNonQueryAsync();
        var alter = new NpgsqlCommand("ALTER TABLE accounts ADD COLUMN note text", migration).ExecuteNonQueryAsync();
        await WaitUntilAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted") >= 1);
        var select = new NpgsqlCommand("SELECT count(*) FROM accounts", reader).ExecuteScalarAsync();
        await WaitUntilAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted") >= 2);

        try
        {
            await AssertChainAsync(holder, migration);
        }
        finally
        {
            // Release the chain whatever happened, or disposing the waiting sessions would wait for ever.
            await new NpgsqlCommand("ROLLBACK", holder).ExecuteNonQueryAsync();
            await alter;
            await select;
        }
        Assert.Empty(await LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions(), new RecordingSink(), CancellationToken.None));
    }

    private async Task AssertChainAsync(NpgsqlConnection holder, NpgsqlConnection migration)
    {
        var report = await LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions(), new RecordingSink(), CancellationToken.None);

        var byApp = report.ToLookup(e => e.Application);
        var root = Assert.Single(byApp["billing-job"]);
        Assert.Equal((0, true, "RowExclusiveLock", "public.accounts", 1), (root.Depth, root.Granted, root.Mode, root.Target, root.Blocking));
        Assert.Equal("idle in transaction", root.State);
        var alterEntry = Assert.Single(byApp["schemaops-test-migration"]);
        Assert.Equal((1, false, "AccessExclusiveLock"), (alterEntry.Depth, alterEntry.Granted, alterEntry.Mode));
        Assert.Equal([holder.ProcessID], alterEntry.BlockedBy);
        Assert.Equal(1, alterEntry.Blocking);
        Assert.StartsWith("ALTER TABLE accounts", alterEntry.Query);
        var readerEntry = Assert.Single(byApp["web"]);
        Assert.Equal((2, false, "AccessShareLock"), (readerEntry.Depth, readerEntry.Granted, readerEntry.Mode));
        Assert.Equal([migration.ProcessID], readerEntry.BlockedBy);
        Assert.True(readerEntry.WaitSeconds >= 0);
        Assert.Equal(["billing-job", "schemaops-test-migration", "web"], report.Select(e => e.Application)); // roots first

        // Filters: another relation shows nothing; a minimum wait longer than any wait shows nothing.
        Assert.Empty(await LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions { Relation = "other" }, new RecordingSink(), CancellationToken.None));
        Assert.Empty(await LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions { MinimumWait = TimeSpan.FromHours(1) }, new RecordingSink(), CancellationToken.None));
        Assert.Equal(3, (await LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions { Relation = "accounts", QueryLength = 5 }, new RecordingSink(), CancellationToken.None))
            .Count(e => e.Query is null || e.Query.Length <= 6));
    }

    [Fact]
    public async Task A_prepared_transaction_left_behind_is_the_root_of_its_tree_named_by_what_ends_it()
    {
        // Two-phase commit (XA) half done: no session holds its locks, pg_blocking_pids names it 0. The report showed the
        // waiting ALTER blocked by "0" under no root at all.
        await ExecAsync("CREATE TABLE accounts (id int primary key, balance int); INSERT INTO accounts VALUES (1, 10);");
        var gid = $"xa-{Guid.NewGuid():N}";
        await ExecAsync($"BEGIN; UPDATE accounts SET balance = 11 WHERE id = 1; PREPARE TRANSACTION '{gid}'");
        await using var migration = await SessionAsync("schemaops-test-migration");
        var alter = new NpgsqlCommand("ALTER TABLE accounts ADD COLUMN note text", migration).ExecuteNonQueryAsync();
        try
        {
            await WaitUntilAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted") >= 1);
            var report = await LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions(), new RecordingSink(), CancellationToken.None);

            Assert.Equal([0, migration.ProcessID], report.Select(e => e.Pid));
            var root = report[0];
            Assert.Equal((0, true, "RowExclusiveLock", "public.accounts", 1, "postgres"), (root.Depth, root.Granted, root.Mode, root.Target, root.Blocking, root.User));
            Assert.Equal($"prepared transaction '{gid}'", root.Application);
            Assert.StartsWith("prepared: no session runs it", root.State);
            Assert.True(root.TransactionSeconds >= 0);
            Assert.Equal(1, report[1].Depth);
            Assert.Equal([0], report[1].BlockedBy);
        }
        finally
        {
            await ExecAsync($"ROLLBACK PREPARED '{gid}'");
            await alter;
        }
    }

    [Fact]
    public async Task Watch_mode_reports_every_interval_until_its_count()
    {
        var sink = new RecordingSink();
        await LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions { Interval = TimeSpan.FromMilliseconds(50), Count = 3 }, sink, CancellationToken.None);
        Assert.Empty(sink.Objects); // nothing blocked: three empty rounds, then it stops
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() =>
            LockReportOperation.ReportAsync(ConnectionTarget.Parse(ConnectionString), new LockReportOptions { Interval = TimeSpan.Zero }, sink, CancellationToken.None));
        Assert.Equal("InvalidInterval", e.ErrorId);
    }
}
