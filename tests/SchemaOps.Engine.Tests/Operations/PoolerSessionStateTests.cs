using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// Behind a transaction pooler a session setting lands on whichever server process ran that one statement: the
/// migrations that follow may run in another process without it, and the next client handed that process (the
/// application, often) inherits it. The default schema must still hold in every migration, and nothing may leak.
/// </summary>
public class PoolerSessionStateTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

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
}
