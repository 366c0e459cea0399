using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>Each test gets a fresh database on the shared throwaway server and a folder of migrations.</summary>
[Collection(PostgresCollection.Name)]
public abstract class DatabaseTestBase(PostgresFixture pg) : IAsyncLifetime, IDisposable
{
    protected readonly TempDir Dir = new();
    protected string ConnectionString { get; set; } = "";

    public async Task InitializeAsync() => ConnectionString = await pg.NewDatabaseAsync();
    /// <summary>
    /// Each test has its own database, so its pooled idle connections would never be reused: closing them
    /// keeps the suite under the throwaway server's max_connections however many tests there are.
    /// </summary>
    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        ConnectionTarget.ClearAllPools();
        return Task.CompletedTask;
    }
    public void Dispose() => Dir.Dispose();

    protected MigrationRequest Request(Func<MigrationSettings, MigrationSettings>? tweak = null)
    {
        var settings = new MigrationSettings { Locations = [Dir.Path] };
        return new MigrationRequest(ConnectionTarget.Parse(ConnectionString), tweak is null ? settings : tweak(settings));
    }

    protected Task<IReadOnlyList<MigrationResult>> MigrateAsync(Func<MigrationSettings, MigrationSettings>? tweak = null, RecordingSink? sink = null) =>
        MigrateOperation.MigrateAsync(Request(tweak), sink ?? new RecordingSink(), CancellationToken.None);

    protected Task<IReadOnlyList<MigrationInfo>> InfoAsync(Func<MigrationSettings, MigrationSettings>? tweak = null) =>
        InfoOperation.InfoAsync(Request(tweak), new RecordingSink(), CancellationToken.None);

    protected Task<IReadOnlyList<ValidationResult>> ValidateAsync(Func<MigrationSettings, MigrationSettings>? tweak = null) =>
        InfoOperation.ValidateAsync(Request(tweak), new RecordingSink(), CancellationToken.None);

    protected async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    protected async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The history rows as "rank|version|description|type|script|checksum|success".</summary>
    protected async Task<List<string>> HistoryAsync(string table = "public.flyway_schema_history")
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            $"SELECT concat_ws('|', installed_rank, coalesce(version, '-'), description, type, script, coalesce(checksum::text, '-'), success::text) FROM {table} ORDER BY installed_rank", conn);
        var rows = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add(r.GetString(0));
        return rows;
    }

    protected Task<bool> TableExistsAsync(string name) => ScalarAsync<bool>($"SELECT to_regclass('{name}') IS NOT NULL")!;

    /// <summary>A session that read <paramref name="table"/> in a transaction it keeps open: it holds ACCESS SHARE until disposed.</summary>
    protected async Task<NpgsqlConnection> OpenReaderAsync(string table, string? application = null)
    {
        var reader = new NpgsqlConnection(ConnectionString + (application is null ? "" : $";Application Name={application}") + ";Pooling=false");
        await reader.OpenAsync();
        await using var cmd = new NpgsqlCommand($"BEGIN; SELECT count(*) FROM {table};", reader);
        await cmd.ExecuteNonQueryAsync();
        return reader;
    }

    /// <summary>
    /// The classic lock queue: a reader's open transaction on the table, and an ALTER TABLE queued behind it, so every later
    /// read of the table queues too. Returned once the ALTER waits; disposing ends the reader and lets the ALTER finish.
    /// </summary>
    protected async Task<IAsyncDisposable> AlterWaitingBehindReaderAsync(string table)
    {
        var reader = await OpenReaderAsync(table, "billing-job");
        var session = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await session.OpenAsync();
        var alter = new NpgsqlCommand($"ALTER TABLE {table} ADD COLUMN queued_note text", session).ExecuteNonQueryAsync();
        for (var i = 0; i < 200 && await ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE pid = {session.ProcessID} AND NOT granted") == 0; i++) await Task.Delay(25);
        return new QueuedAlter(reader, session, alter);
    }

    private sealed class QueuedAlter(NpgsqlConnection reader, NpgsqlConnection session, Task alter) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await alter;
            await session.DisposeAsync();
        }
    }
}
