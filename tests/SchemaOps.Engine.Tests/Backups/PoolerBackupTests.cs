using Npgsql;
using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Backups;

/// <summary>
/// pg_dump and pg_restore set session settings their work depends on (search_path, DateStyle, check_function_bodies,
/// row_security). Behind a transaction pooler a setting holds for the one statement that made it, and stays on that
/// server process for the pooler's next clients: pg_restore left search_path = '' for the application. So backups,
/// restores, test restores and schema dumps are refused there, before anything is changed, naming the way: a direct connection.
/// </summary>
public class PoolerBackupTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    [Fact]
    public async Task Backup_restore_and_test_restore_through_a_transaction_pooler_are_refused_and_change_nothing()
    {
        Dir.Write("V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY); INSERT INTO accounts VALUES (1), (2);");
        await MigrateAsync();
        var direct = await BackupOperation.BackupAsync(Request(), new BackupOptions(Path.Combine(Dir.Path, "direct.dump")), new RecordingSink(), CancellationToken.None);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2);
        MigrationRequest Pooled(string db) => new(ConnectionTarget.Parse(bouncer.ConnectionString(db)), new MigrationSettings());

        var pooledBackup = Path.Combine(Dir.Path, "pooled.dump");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => BackupOperation.BackupAsync(Pooled(database), new BackupOptions(pooledBackup), new RecordingSink(), CancellationToken.None));
        Assert.Equal("DirectConnectionRequired", e.ErrorId);
        Assert.Contains("connection pooler", e.Message);
        Assert.Empty(Directory.GetFiles(Dir.Path, "pooled.dump*"));

        var copy = database + "_copy";
        e = await Assert.ThrowsAsync<SchemaOpsException>(() => RestoreOperation.RestoreAsync(Pooled(copy), direct.Path, new RestoreOptions { CreateDatabase = true }, new RecordingSink(), CancellationToken.None));
        Assert.Equal("DirectConnectionRequired", e.ErrorId);
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname = '{copy}'"));

        e = await Assert.ThrowsAsync<SchemaOpsException>(() => BackupTestOperation.TestAsync(Pooled(database), direct.Path, null, null, new RecordingSink(), CancellationToken.None));
        Assert.Equal("DirectConnectionRequired", e.ErrorId);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_database WHERE datname LIKE 'schemaops_restore_%'"));

        // The schema file (dbmate's db/schema.sql) is pg_dump's too: refused, the committed file untouched.
        var schemaFile = Dir.Write("db/schema.sql", "-- committed\n");
        e = await Assert.ThrowsAsync<SchemaOpsException>(() => SchemaDumpOperation.DumpAsync(Pooled(database), schemaFile, null, new RecordingSink(), CancellationToken.None));
        Assert.Equal("DirectConnectionRequired", e.ErrorId);
        Assert.Equal("-- committed\n", File.ReadAllText(schemaFile));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(schemaFile)!));

        // What the pooler hands its next client is the server's defaults.
        await using var next = new NpgsqlConnection(bouncer.ConnectionString(database));
        await next.OpenAsync();
        await using var show = new NpgsqlCommand("SELECT current_setting('search_path') || ' / ' || current_setting('row_security')", next);
        Assert.Equal("\"$user\", public / on", (string)(await show.ExecuteScalarAsync())!);
    }
}
