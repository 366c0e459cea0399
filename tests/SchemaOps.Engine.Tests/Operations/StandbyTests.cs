using Npgsql;
using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// What ops engineers run against a read replica to spare the primary on migration day: backups, status, validation,
/// snapshots, drift and the schema file read a real streaming standby as they read the primary.
/// </summary>
public class StandbyTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    [Fact]
    public async Task Backups_status_validation_snapshots_drift_and_the_schema_file_read_a_standby()
    {
        Dir.Write("V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY, name text); INSERT INTO accounts VALUES (1, 'a'), (2, 'b');");
        Dir.Write("V2__index.sql", "CREATE INDEX accounts_name ON accounts (name);");
        await MigrateAsync();
        await using var standby = await Standby.StartAsync(_pg.Server);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var onStandby = new MigrationRequest(ConnectionTarget.Parse(standby.ConnectionString(database)), new MigrationSettings { Locations = [Dir.Path] });
        var sink = new RecordingSink();

        Assert.All(await InfoOperation.InfoAsync(onStandby, sink, CancellationToken.None), i => Assert.Equal(MigrationState.Success, i.State));
        Assert.All(await InfoOperation.ValidateAsync(onStandby, sink, CancellationToken.None), v => Assert.True(v.Passed, v.ToString()));

        var backup = await BackupOperation.BackupAsync(onStandby, new BackupOptions(Path.Combine(Dir.Path, "replica.dump")), sink, CancellationToken.None);
        Assert.True(File.Exists(backup.Path));
        var tested = await BackupTestOperation.TestAsync(Request(), backup.Path, null, null, sink, CancellationToken.None);
        Assert.True(tested.Passed, string.Join("; ", tested.Differences));

        var fromStandby = await SnapshotOperation.TakeAsync(onStandby, RowCountMode.Exact, sink, CancellationToken.None);
        var fromPrimary = await SnapshotOperation.TakeAsync(Request(), RowCountMode.Exact, sink, CancellationToken.None);
        Assert.Empty(SnapshotComparer.Compare(fromPrimary, fromStandby));

        Assert.Empty(await DriftOperation.CheckAsync(onStandby, new DriftOptions(), sink, CancellationToken.None));

        // A change is what it refuses: a fresh database's history table, named as the standby's doing.
        var fresh = await _pg.Server.CreateDatabaseAsync();
        var onFresh = new MigrationRequest(ConnectionTarget.Parse(standby.ConnectionString(fresh)), new MigrationSettings { Locations = [Dir.Path] });
        SchemaOpsException? refused = null;
        for (var i = 0; i < 100 && refused?.ErrorId != "ReadOnlyServer"; i++) // until the standby has replayed the new database
        {
            refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(onFresh, sink, CancellationToken.None));
            if (refused.ErrorId != "ReadOnlyServer") await Task.Delay(50);
        }
        Assert.Equal("ReadOnlyServer", refused!.ErrorId);
        Assert.Contains("takes no changes: it is a standby", refused.Message);

        var schemaFile = Path.Combine(Dir.Path, "db", "schema.sql");
        var dumped = await SchemaDumpOperation.DumpAsync(onStandby, schemaFile, null, sink, CancellationToken.None);
        Assert.Contains("CREATE TABLE public.accounts", await File.ReadAllTextAsync(dumped.Path));
    }
}
