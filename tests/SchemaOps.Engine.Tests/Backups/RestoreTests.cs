using Npgsql;
using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Backups;

public class RestoreTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private string NewDatabaseName() => "restore_" + Guid.NewGuid().ToString("N")[..12];

    private MigrationRequest RequestFor(string database, Func<MigrationSettings, MigrationSettings>? tweak = null) =>
        new(ConnectionTarget.Parse(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString), tweak?.Invoke(new MigrationSettings()) ?? new MigrationSettings());

    private static Task<SchemaSnapshot> SnapshotOf(MigrationRequest request) => SnapshotOperation.TakeAsync(request, RowCountMode.Exact, new RecordingSink(), CancellationToken.None);

    private async Task<DatabaseBackup> BackupAsync()
    {
        await ExecAsync("CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts SELECT g, g FROM generate_series(1, 100) g; CREATE VIEW rich AS SELECT * FROM accounts WHERE balance > 50;");
        return await BackupOperation.BackupAsync(Request(), new BackupOptions(Path.Combine(Dir.Path, "a.dump")), new RecordingSink(), CancellationToken.None);
    }

    [Fact]
    public async Task Restores_into_a_new_database_and_refuses_a_non_empty_one_unless_clean()
    {
        var backup = await BackupAsync();
        var copy = RequestFor(NewDatabaseName());

        var created = await RestoreOperation.RestoreAsync(copy, backup.Path, new RestoreOptions { CreateDatabase = true }, new RecordingSink(), CancellationToken.None);
        Assert.True(created!.Created);
        Assert.Empty(SnapshotComparer.Compare(backup.Snapshot!, await SnapshotOf(copy)));

        var again = await Assert.ThrowsAsync<SchemaOpsException>(() => RestoreOperation.RestoreAsync(copy, backup.Path, new RestoreOptions(), new RecordingSink(), CancellationToken.None));
        Assert.Equal("RestoreTargetNotEmpty", again.ErrorId);

        // A botched migration on the copy, then a -Clean restore puts it back as the backup holds it.
        await using (var c = copy.Target.CreateConnection())
        {
            await c.OpenAsync();
            await new NpgsqlCommand("ALTER TABLE accounts ADD COLUMN oops text; DELETE FROM accounts WHERE id > 10; DROP VIEW rich;", c).ExecuteNonQueryAsync();
        }
        var replaced = await RestoreOperation.RestoreAsync(copy, backup.Path, new RestoreOptions { Clean = true }, new RecordingSink(), CancellationToken.None);
        Assert.True(replaced!.Replaced);
        Assert.Empty(SnapshotComparer.Compare(backup.Snapshot!, await SnapshotOf(copy)));
    }

    [Fact]
    public async Task A_failing_restore_changes_nothing_and_drops_the_database_it_created()
    {
        var backup = await BackupAsync();
        var truncated = Path.Combine(Dir.Path, "broken.dump");
        var bytes = await File.ReadAllBytesAsync(backup.Path);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);
        var name = NewDatabaseName();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => RestoreOperation.RestoreAsync(RequestFor(name), truncated, new RestoreOptions { CreateDatabase = true }, new RecordingSink(), CancellationToken.None));

        Assert.Equal("RestoreFailed", e.ErrorId);
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
    }

    [Fact]
    public async Task Production_needs_confirmation_and_what_if_changes_nothing()
    {
        var backup = await BackupAsync();
        var production = RequestFor(new NpgsqlConnectionStringBuilder(ConnectionString).Database!, s => s with { Environment = "production", Production = true });

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => RestoreOperation.RestoreAsync(production, backup.Path, new RestoreOptions { Clean = true }, new RecordingSink(), CancellationToken.None));
        Assert.Equal("ProductionConfirmationRequired", e.ErrorId);
        Assert.Null(await RestoreOperation.RestoreAsync(production, backup.Path, new RestoreOptions { Clean = true }, new RecordingSink(whatIf: true), CancellationToken.None));
    }

    [Fact]
    public async Task A_clean_restore_replaces_the_database_with_the_backup_also_dropping_what_came_after_it()
    {
        var backup = await BackupAsync();
        var copy = RequestFor(NewDatabaseName());
        await RestoreOperation.RestoreAsync(copy, backup.Path, new RestoreOptions { CreateDatabase = true }, new RecordingSink(), CancellationToken.None);
        // What a failed maintenance window leaves: new tables, a new schema, an extension, a changed table.
        await using (var c = copy.Target.CreateConnection())
        {
            await c.OpenAsync();
            await new NpgsqlCommand("""
                CREATE TABLE tariffs (id int PRIMARY KEY); ALTER TABLE accounts ADD COLUMN tariff_id int REFERENCES tariffs (id);
                CREATE SCHEMA audit; CREATE TABLE audit.log (at timestamptz); CREATE TYPE level AS ENUM ('a', 'b'); CREATE EXTENSION pg_trgm;
                CREATE INDEX accounts_balance ON accounts (balance);
                """, c).ExecuteNonQueryAsync();
        }

        await RestoreOperation.RestoreAsync(copy, backup.Path, new RestoreOptions { Clean = true }, new RecordingSink(), CancellationToken.None);

        Assert.Empty(SnapshotComparer.Compare(backup.Snapshot!, await SnapshotOf(copy)));
        await using var check = copy.Target.CreateConnection();
        await check.OpenAsync();
        Assert.Equal(0L, await new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = 'audit'", check).ExecuteScalarAsync());
        Assert.Equal(0L, await new NpgsqlCommand("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'", check).ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_clean_restore_of_a_broken_archive_changes_nothing()
    {
        var backup = await BackupAsync();
        var truncated = Path.Combine(Dir.Path, "broken.dump");
        var bytes = await File.ReadAllBytesAsync(backup.Path);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);
        await ExecAsync("CREATE TABLE came_after (id int); INSERT INTO came_after VALUES (1);");
        var before = await SnapshotOf(Request());

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => RestoreOperation.RestoreAsync(Request(), truncated, new RestoreOptions { Clean = true }, new RecordingSink(), CancellationToken.None));

        Assert.True(e.ErrorId is "RestoreFailed" or "BackupUnreadable", e.ErrorId);
        Assert.Empty(SnapshotComparer.Compare(before, await SnapshotOf(Request())));
    }
}
