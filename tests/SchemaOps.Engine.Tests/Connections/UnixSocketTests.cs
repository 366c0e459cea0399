using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Connections;

/// <summary>
/// A Unix socket (a server on the same machine, as an ops engineer on the database host connects): dbmate's URL
/// (postgres://user@/db?socket=DIR) and a connection string's Host=DIR, to a real socket: a local PgBouncer's.
/// TCP keepalives set on it failed every connect ("Operation not supported").
/// </summary>
public class UnixSocketTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    [Fact]
    public async Task A_dbmate_socket_URL_reaches_the_server_through_its_unix_socket()
    {
        Dir.Write("V1__things.sql", "CREATE TABLE things (id int);");
        var database = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, unixSocket: true);
        var url = $"postgres://{EphemeralPostgresUser}:{Uri.EscapeDataString(_pg.Server.Password)}@/{database}?socket={Uri.EscapeDataString(bouncer.SocketDirectory)}&port={bouncer.Port}";
        var target = ConnectionTarget.Parse(url);
        Assert.Equal($"{EphemeralPostgresUser}@{bouncer.SocketDirectory}:{bouncer.Port}/{database}", target.Display);

        await MigrateOperation.MigrateAsync(new MigrationRequest(target, new MigrationSettings { Locations = [Dir.Path] }), new RecordingSink(), CancellationToken.None);

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE success"));

        var byHost = ConnectionTarget.Parse($"Host={bouncer.SocketDirectory};Port={bouncer.Port};Username={EphemeralPostgresUser};Password={_pg.Server.Password};Database={database}");
        var infos = await InfoOperation.InfoAsync(new MigrationRequest(byHost, new MigrationSettings { Locations = [Dir.Path] }), new RecordingSink(), CancellationToken.None);
        Assert.Equal(MigrationState.Success, Assert.Single(infos).State);
    }

    private static string EphemeralPostgresUser => SchemaOps.Engine.Ephemeral.EphemeralPostgres.SuperUser;
}
