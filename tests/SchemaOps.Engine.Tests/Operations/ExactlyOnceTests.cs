using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// Each migration applied exactly once, atomically with its history row, however production is wired: runners
/// at once through a transaction pooler (where a session lock excludes nobody), a script that releases the lock.
/// </summary>
public class ExactlyOnceTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    /// <summary>Ten migrations, each with a data seed that would show a second run (a row too many).</summary>
    private void WriteSeededSet(int count = 10)
    {
        Dir.Write("V1__seeds.sql", "CREATE TABLE seeds (version int, at timestamptz DEFAULT clock_timestamp());");
        for (var v = 2; v <= count; v++) Dir.Write($"V{v}__step{v}.sql", $"CREATE TABLE t{v} (id int); INSERT INTO seeds (version) VALUES ({v}); SELECT pg_sleep(0.02);");
        Dir.Write("R__view.sql", "CREATE OR REPLACE VIEW seed_count AS SELECT count(*) AS n FROM seeds;");
    }

    private MigrationRequest Through(string connectionString) =>
        new(ConnectionTarget.Parse(connectionString), new MigrationSettings { Locations = [Dir.Path] });

    private async Task<List<Exception>> RunnersAsync(int runners, Func<Task> runner)
    {
        var errors = new List<Exception>();
        await Task.WhenAll(Enumerable.Range(0, runners).Select(async _ =>
        {
            try { await Task.Run(runner); }
            catch (Exception e) { lock (errors) errors.Add(e); }
        }));
        return errors;
    }

    private async Task AssertAppliedOnceAsync(int count = 10)
    {
        Assert.Equal(count - 1, await ScalarAsync<long>("SELECT count(*) FROM seeds"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM (SELECT version FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version HAVING count(*) > 1) d"));
        Assert.Equal((long)count, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL AND success"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NULL AND type = 'SQL'"));
    }

    [Fact]
    public async Task Eight_runners_at_once_through_a_one_connection_transaction_pooler_apply_each_migration_once_and_none_fails()
    {
        WriteSeededSet();
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 1);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var errors = await RunnersAsync(8, () => MigrateOperation.MigrateAsync(Through(bouncer.ConnectionString(database)), new RecordingSink(), CancellationToken.None));
        Assert.Empty(errors);
        await AssertAppliedOnceAsync();
    }

    [Fact]
    public async Task Eight_runners_at_once_through_a_transaction_pooler_with_several_connections_apply_each_migration_once()
    {
        WriteSeededSet();
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 4);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var errors = await RunnersAsync(8, () => MigrateOperation.MigrateAsync(Through(bouncer.ConnectionString(database)), new RecordingSink(), CancellationToken.None));
        Assert.Empty(errors);
        await AssertAppliedOnceAsync();
    }

    [Fact]
    public async Task Runners_that_create_the_missing_database_at_once_create_it_once_and_apply_each_migration_once()
    {
        // dbmate up's way on a fresh server: the database is created first. Four pods at once, none failing.
        WriteSeededSet();
        var fresh = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "created_" + Guid.NewGuid().ToString("N")[..12] };
        var request = Through(fresh.ConnectionString) with { Settings = new MigrationSettings { Locations = [Dir.Path], CreateDatabase = true } };
        var whatIf = new RecordingSink(whatIf: true);
        Assert.Empty(await MigrateOperation.MigrateAsync(request, whatIf, CancellationToken.None));
        var (target, action) = Assert.Single(whatIf.Questions);
        Assert.Equal(("/" + fresh.Database, "Create the database (it does not exist yet)"), (target[target.LastIndexOf('/')..], action));
        Assert.Contains("does not exist yet", Assert.Single(whatIf.Warnings));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname = '{fresh.Database}'"));
        ConnectionString = fresh.ConnectionString; // the assertions below read the new database

        var errors = await RunnersAsync(4, () => MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None));

        Assert.Empty(errors);
        await AssertAppliedOnceAsync();
        Assert.Empty(await MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None)); // there: nothing to create or apply
    }

    [Fact]
    public async Task Through_a_transaction_pooler_runners_create_the_missing_database_once_and_apply_each_migration_once()
    {
        // A managed platform's pooler in front of a fresh server: dbmate up's create-then-migrate, through it.
        WriteSeededSet();
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2);
        var name = "pooled_" + Guid.NewGuid().ToString("N")[..12];
        var request = Through(bouncer.ConnectionString(name)) with { Settings = new MigrationSettings { Locations = [Dir.Path], CreateDatabase = true } };
        ConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString; // the assertions read the new database

        var errors = await RunnersAsync(4, () => MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None));

        Assert.Empty(errors);
        await AssertAppliedOnceAsync();
    }

    [Fact]
    public async Task Through_an_HA_pairs_URL_with_the_standby_first_runners_migrate_the_primary_once()
    {
        // The standby listed first, as a multi-host URL may: libpq's target_session_attrs (a dbmate or golang-migrate URL)
        // and pgjdbc's targetServerType (a Flyway URL) send the migration to the primary; without them it reaches the standby.
        WriteSeededSet();
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var standby = await Standby.StartAsync(_pg.Server);
        var hosts = $"127.0.0.1:{standby.Port},127.0.0.1:{_pg.Server.Port}";
        var password = Uri.EscapeDataString(_pg.Server.Password);

        var errors = await RunnersAsync(4, () => MigrateOperation.MigrateAsync(
            Through($"postgres://postgres:{password}@{hosts}/{database}?sslmode=disable&target_session_attrs=read-write"), new RecordingSink(), CancellationToken.None));
        Assert.Empty(errors);
        await AssertAppliedOnceAsync();

        Dir.Write("V11__more.sql", "INSERT INTO seeds (version) VALUES (11);");
        Assert.Single(await MigrateOperation.MigrateAsync(
            Through($"jdbc:postgresql://{hosts}/{database}?user=postgres&password={password}&targetServerType=primary"), new RecordingSink(), CancellationToken.None));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM seeds WHERE version = 11"));

        Dir.Write("V12__more.sql", "INSERT INTO seeds (version) VALUES (12);");
        var onStandby = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(
            Through($"postgres://postgres:{password}@{hosts}/{database}?sslmode=disable"), new RecordingSink(), CancellationToken.None));
        Assert.Equal("ReadOnlyServer", onStandby.ErrorId); // was MigrationFailed, with nothing said of the standby
        Assert.Contains($"127.0.0.1:{standby.Port} takes no changes: it is a standby", onStandby.Message);
        Assert.Contains("target_session_attrs=read-write", onStandby.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM seeds WHERE version = 12"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("DEALLOCATE ALL; ")] // the guard's prepared statements go too
    public async Task A_migration_that_releases_the_lock_is_still_applied_once(string alsoInScript)
    {
        Dir.Write("V1__seeds.sql", "CREATE TABLE seeds (version int);");
        Dir.Write("V2__unlock.sql", alsoInScript + "SELECT pg_advisory_unlock_all(); INSERT INTO seeds VALUES (2); SELECT pg_sleep(1);");
        Dir.Write("V3__after.sql", "INSERT INTO seeds VALUES (3); SELECT pg_sleep(0.2);");
        var errors = await RunnersAsync(2, () => MigrateAsync());
        Assert.Empty(errors);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM seeds WHERE version = 2"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM seeds WHERE version = 3"));
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL"));
    }

    [Theory]
    [InlineData(false, "schemaops_check,schemaops_lock,schemaops_record")]
    [InlineData(true, "")]
    public async Task The_guard_and_the_history_insert_are_prepared_on_a_direct_connection_and_never_behind_a_pooler(bool pooled, string expected)
    {
        // A migration sees its own session's prepared statements: what SchemaOps prepared before running it.
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__seen.sql", "CREATE TABLE seen AS SELECT name FROM pg_prepared_statements;");
        await using var bouncer = pooled ? await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 1) : null;
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await MigrateOperation.MigrateAsync(Through(bouncer?.ConnectionString(database) ?? ConnectionString), new RecordingSink(), CancellationToken.None);
        var names = await ScalarAsync<string>("SELECT coalesce(string_agg(DISTINCT regexp_replace(name, '_[0-9a-f]+(_[0-9]+)?$', ''), ','), '') FROM seen");
        Assert.Equal(expected, names);
    }

    [Fact]
    public async Task A_prepared_history_insert_records_backslashes_and_quotes_as_written_whatever_a_script_set()
    {
        // The prepared insert takes its values as literals: a script switching standard_conforming_strings off
        // (old dumps do) must not change what the next history rows say.
        Dir.Write("V1__legacy_settings.sql", "SET standard_conforming_strings = off;");
        Dir.Write("V2__it's_a\\path.sql", "SELECT 1;");
        await MigrateAsync();
        Assert.Equal("it's a\\path", await ScalarAsync<string>("SELECT description FROM flyway_schema_history WHERE version = '2'"));
        Assert.StartsWith("V2__it's_a", await ScalarAsync<string>("SELECT script FROM flyway_schema_history WHERE version = '2'"));
    }

    [Fact]
    public async Task A_migration_that_drops_the_guards_prepared_statements_does_not_stop_the_ones_after_it()
    {
        // On a direct connection the guard's lock and check are prepared once per session; DEALLOCATE ALL in a
        // script removes them, and the next migration must notice before running anything and go on with plain ones.
        Dir.Write("V1__seeds.sql", "CREATE TABLE seeds (version int);");
        Dir.Write("V2__deallocate.sql", "DEALLOCATE ALL; INSERT INTO seeds VALUES (2);");
        Dir.Write("V3__after.sql", "INSERT INTO seeds VALUES (3);");
        Dir.Write("V4__later.sql", "INSERT INTO seeds VALUES (4);");
        var sink = new RecordingSink();
        var results = await MigrateAsync(sink: sink);
        Assert.Equal(["1", "2", "3", "4"], results.Select(r => r.Version?.ToString()));
        Assert.All(results, r => Assert.Equal(MigrationOutcome.Applied, r.Outcome));
        Assert.Equal("2,3,4", await ScalarAsync<string>("SELECT string_agg(version::text, ',' ORDER BY version) FROM seeds"));
        Assert.Contains(sink.Verbose, v => v.Contains("reading the history again")); // V3 was planned again, not failed
    }

    [Fact]
    public async Task Eight_runners_undoing_at_once_through_a_transaction_pooler_undo_each_migration_once()
    {
        WriteSeededSet();
        for (var v = 2; v <= 10; v++) Dir.Write($"U{v}__step{v}.sql", $"DROP TABLE t{v}; DELETE FROM seeds WHERE version = {v};");
        await MigrateAsync();
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var errors = await RunnersAsync(8, () => UndoOperation.UndoAsync(Through(bouncer.ConnectionString(database)), new UndoScope(Target: "1"), new RecordingSink(), CancellationToken.None));
        Assert.Empty(errors);
        Assert.Equal(9L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE type = 'UNDO_SQL'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM seeds"));
    }

    [Fact]
    public async Task A_changed_repeatable_is_reapplied_once_by_runners_at_once_through_a_transaction_pooler()
    {
        WriteSeededSet();
        await MigrateAsync();
        Dir.Write("R__view.sql", "CREATE OR REPLACE VIEW seed_count AS SELECT count(*) AS n, max(version) AS latest FROM seeds;");
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var errors = await RunnersAsync(8, () => MigrateOperation.MigrateAsync(Through(bouncer.ConnectionString(database)), new RecordingSink(), CancellationToken.None));
        Assert.Empty(errors);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NULL AND type = 'SQL'"));
    }

    [Fact]
    public async Task A_script_that_cannot_run_in_a_transaction_is_refused_behind_a_pooler_and_runs_over_a_direct_connection()
    {
        Dir.Write("V1__table.sql", "CREATE TABLE t (id int);");
        Dir.Write("V2__index.sql", "CREATE INDEX CONCURRENTLY t_id ON t (id);");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using (var pooled = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 3, roundRobin: true))
        {
            await pooled.WarmAsync(database, 3);
            var sink = new RecordingSink();
            var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(Through(pooled.ConnectionString(database)), sink, CancellationToken.None));
            Assert.Equal("NonTransactionalBehindPooler", e.ErrorId);
            Assert.Contains("V2__index.sql", e.Message);
            Assert.Contains(sink.Verbose, v => v.Contains("connection pooler"));
            Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL"));
        }
        // A session pool cannot be told apart from a transaction pool: refused as well, never run unguarded.
        await using (var session = await PgBouncer.StartAsync(_pg.Server, "session", poolSize: 3))
            Assert.Equal("NonTransactionalBehindPooler", (await Assert.ThrowsAsync<SchemaOpsException>(() =>
                MigrateOperation.MigrateAsync(Through(session.ConnectionString(database)), new RecordingSink(), CancellationToken.None))).ErrorId);
        var applied = await MigrateAsync();
        Assert.Equal("2", Assert.Single(applied).Version?.Text);
    }

    [Fact]
    public async Task A_statement_timeout_fails_the_migration_with_its_own_error_and_records_nothing()
    {
        Dir.Write("V1__slow.sql", "CREATE TABLE t (id int); SELECT pg_sleep(3);");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { StatementTimeout = TimeSpan.FromMilliseconds(500) }));
        Assert.Equal("MigrationStatementTimeout", e.ErrorId);
        Assert.Equal(SchemaOpsErrorCategory.OperationTimeout, e.Category);
        Assert.Contains("V1__slow.sql:1", e.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL"));
    }

    [Fact]
    public async Task A_statement_timeout_of_zero_lifts_the_one_the_server_sets_for_the_database_in_and_out_of_transactions()
    {
        // What managed platforms and careful DBAs do (ALTER ROLE/DATABASE ... SET statement_timeout): a long backfill
        // then fails there, and --statement-timeout 0 is the way past it. Before, 0 was sent as 1 ms.
        Dir.Write("V1__backfill.sql", "CREATE TABLE t (id int); SELECT pg_sleep(0.6);");
        Dir.Write("V2__index.sql", "SELECT pg_sleep(0.6);\nCREATE INDEX CONCURRENTLY t_id ON t (id);");
        Dir.Write("V2__index.sql.conf", "executeInTransaction=false");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await ExecAsync($"ALTER DATABASE \"{database}\" SET statement_timeout = '300ms'");

        var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("MigrationCanceledByServer", refused.ErrorId);
        Assert.Contains("--statement-timeout 0", refused.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL"));

        var applied = await MigrateAsync(s => s with { StatementTimeout = TimeSpan.Zero });

        Assert.Equal(["1", "2"], applied.Select(a => a.Version?.Text));
    }
}
