using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// Behind a transaction pooler each transaction may run in another server process. A session setting lands on
/// whichever process ran that one statement: the migrations that follow may run without it, and the next client handed
/// that process (the application, often) inherits it. And the process a migration waits in is not the one the session
/// started in. The default schema must hold in every migration, nothing may leak, and a blocker must be the real one.
/// </summary>
public class PoolerSessionStateTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    [Fact]
    public async Task A_URL_s_search_path_that_the_pooler_drops_is_set_in_each_transaction_and_one_it_refuses_names_the_way_out()
    {
        // dbmate's URL names its schema with search_path, sent at connect. PgBouncer refuses it ("unsupported startup
        // parameter"); told to ignore it, it drops it without a word, and the history and every table went to public.
        Dir.Write("20240101000000_things.sql", "-- migrate:up\nCREATE TABLE things (id int);\n-- migrate:down\nDROP TABLE things;\n");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await ExecAsync("CREATE SCHEMA app");
        MigrationRequest Through(PgBouncer bouncer, string query, params string[] schemas) => new(
            ConnectionTarget.Parse($"postgres://{SchemaOps.Engine.Ephemeral.EphemeralPostgres.SuperUser}:{Uri.EscapeDataString(_pg.Server.Password)}@127.0.0.1:{bouncer.Port}/{database}?sslmode=disable{query}"),
            new MigrationSettings { Locations = [Dir.Path], Schemas = schemas });

        await using (var strict = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2, ignoredStartupParameters: "extra_float_digits"))
        {
            var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(Through(strict, "&search_path=app"), new RecordingSink(), CancellationToken.None));
            Assert.Equal("ConnectionFailed", refused.ErrorId);
            Assert.Contains("unsupported startup parameter: search_path", refused.Message);
            Assert.Contains("--schema / -Schema", refused.Message);
        }
        await using (var lenient = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2, roundRobin: true))
        {
            await lenient.WarmAsync(database, 2);
            var sink = new RecordingSink();
            await MigrateOperation.MigrateAsync(Through(lenient, "&search_path=app"), sink, CancellationToken.None);
            Assert.Contains(sink.Verbose, v => v.Contains("dropped the URL's search_path"));
        }

        Assert.Equal("schema_migrations,schema_migrations_checksums,things",
            await ScalarAsync<string>("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'app'::regnamespace AND relkind = 'r'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"));
    }

    [Fact]
    public async Task The_default_schema_holds_in_every_migration_and_callback_and_no_setting_reaches_the_poolers_other_clients()
    {
        Dir.Write("V1__things.sql", "CREATE TABLE things (id int);");
        Dir.Write("V2__seed.sql", "INSERT INTO things VALUES (2);");
        Dir.Write("V3__more.sql", "CREATE TABLE more_things (id int); INSERT INTO things VALUES (3);");
        Dir.Write("R__view.sql", "CREATE OR REPLACE VIEW thing_count AS SELECT count(*) AS n FROM things;");
        Dir.Write("afterMigrate.sql", "INSERT INTO things VALUES (100);");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 3, roundRobin: true);
        await bouncer.WarmAsync(database, 3);
        var request = new MigrationRequest(ConnectionTarget.Parse(bouncer.ConnectionString(database)),
            new MigrationSettings { Locations = [Dir.Path], Schemas = ["app"] });

        await MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None);

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname IN ('things', 'more_things', 'thing_count')"));
        Assert.Equal("2,3,100", await ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM app.things")); // the callback's too
        Assert.Equal(3L, await ScalarAsync<long>("SELECT n FROM app.thing_count"));
        // Every server process of the pool, as the next client gets it: the server's defaults.
        for (var i = 0; i < 6; i++)
        {
            await using var client = new NpgsqlConnection(bouncer.ConnectionString(database));
            await client.OpenAsync();
            await using var show = new NpgsqlCommand("SELECT current_setting('search_path') || ' / ' || current_setting('client_connection_check_interval')", client);
            Assert.Equal("\"$user\", public / 0", (string)(await show.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task What_a_migration_sets_for_its_session_reaches_neither_the_next_migration_nor_the_poolers_other_clients()
    {
        // As pg_dump's baseline does, and a script's SET without LOCAL.
        Dir.Write("V1__base.sql", "SELECT pg_catalog.set_config('search_path', '', false);\nSET standard_conforming_strings = off;\nCREATE TABLE public.base (id int);");
        Dir.Write("V2__next.sql", "CREATE TABLE next AS SELECT current_setting('search_path') AS sp, current_setting('standard_conforming_strings') AS scs;");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 1);
        var request = new MigrationRequest(ConnectionTarget.Parse(bouncer.ConnectionString(database)), new MigrationSettings { Locations = [Dir.Path] });

        await MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None);

        Assert.Equal("\"$user\", public / on", await ScalarAsync<string>("SELECT sp || ' / ' || scs FROM public.next"));
        await using var client = new NpgsqlConnection(bouncer.ConnectionString(database));
        await client.OpenAsync();
        await using var show = new NpgsqlCommand("SELECT current_setting('search_path') || ' / ' || current_setting('standard_conforming_strings')", client);
        Assert.Equal("\"$user\", public / on", (string)(await show.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_lock_timeout_behind_the_pooler_names_the_session_that_blocked_the_migrations_own_server_process()
    {
        Dir.Write("V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY);");
        await MigrateAsync();
        Dir.Write("V2__add_currency.sql", "ALTER TABLE accounts ADD COLUMN currency text;");
        await using var reader = await OpenReaderAsync("accounts", "reporting-job");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 3, roundRobin: true);
        await bouncer.WarmAsync(database, 3);
        // Another client's short transactions meanwhile, as under load: which server process runs the migration's
        // transaction is then anyone's guess, and seldom the one the session started in.
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            await using var other = new NpgsqlConnection(bouncer.ConnectionString(database));
            await other.OpenAsync();
            await using var ping = new NpgsqlCommand("SELECT 1", other);
            while (!stop.IsCancellationRequested) await ping.ExecuteScalarAsync();
        });
        var request = new MigrationRequest(ConnectionTarget.Parse(bouncer.ConnectionString(database)),
            new MigrationSettings { Locations = [Dir.Path], LockTimeout = TimeSpan.FromMilliseconds(300), LockRetryCount = 0 });

        for (var run = 0; run < 4; run++) // each run, wherever it lands, names the reader
        {
            var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None));
            Assert.Equal("MigrationLockTimeout", e.ErrorId);
            Assert.Contains($"blocked by pid {reader.ProcessID} (user postgres, application 'reporting-job', idle in transaction", e.Message);
        }
        await stop.CancelAsync();
        await load;
    }

    [Fact]
    public async Task Two_repairs_at_once_through_the_pooler_mark_a_missing_migration_deleted_once()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V2__b.sql", "SELECT 2;");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V1__a.sql"));
        // Both repairs plan from the same history, then meet: the callback holds each a moment after its plan.
        Dir.Write("beforeRepair.sql", "SELECT pg_sleep(0.5);");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 3, roundRobin: true);
        var request = new MigrationRequest(ConnectionTarget.Parse(bouncer.ConnectionString(database)), new MigrationSettings { Locations = [Dir.Path] });

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try { return (await RepairOperation.RepairAsync(request, new RecordingSink(), CancellationToken.None)).Count.ToString(); }
            catch (SchemaOpsException e) { return e.ErrorId; }
        })));

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE type = 'DELETE'"));
        Assert.Equal(["1", "HistoryChangedUnderneath"], runs.Order());
    }
}
