using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;

namespace SchemaOps.Engine.Backups;

/// <summary>
/// A database SchemaOps creates for a moment on a server (a test restore, a rehearsal from a backup) and drops
/// afterwards whatever happens. Written down while it exists (<see cref="Leftovers"/>): one left by a run that was
/// killed is dropped by the next one that creates its own on the same server.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly ConnectionTarget _admin;
    private readonly IDisposable _entry;

    private ScratchDatabase(ConnectionTarget admin, string name, IDisposable entry)
    {
        _admin = admin;
        Name = name;
        _entry = entry;
    }

    public string Name { get; }

    /// <summary>
    /// A new name, written down, on <paramref name="server"/>'s server (the database itself is created by the caller:
    /// CREATE DATABASE, or the restore). Leftovers of killed runs on that server are dropped first.
    /// </summary>
    public static async Task<ScratchDatabase> ReserveAsync(ConnectionTarget server, string prefix, IOperationSink sink)
    {
        var admin = server.WithDatabase("postgres");
        foreach (var (entry, database) in Leftovers.DatabasesOn(server.Server))
        {
            if (await DropAsync(server, database).ConfigureAwait(false)) sink.WriteVerbose($"dropped {database}, left on {server.Server} by a run that was killed");
            Leftovers.Forget(entry);
        }
        var name = $"{prefix}{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 16)];
        return new ScratchDatabase(admin, name, Leftovers.Track("database", server.Server, name));
    }

    public async ValueTask DisposeAsync()
    {
        if (await DropAsync(_admin, Name).ConfigureAwait(false)) _entry.Dispose(); // else the next run tries again
    }

    /// <summary>DROP ... WITH (FORCE), over a connection to another database of the server; false when it could not be done.</summary>
    internal static async Task<bool> DropAsync(ConnectionTarget server, string database)
    {
        try
        {
            // Connected to the server's maintenance database, or to the one named by the request when that is not allowed.
            var c = (database == server.Database ? server.WithDatabase("postgres") : server).CreateConnection();
            await using var cScope = c.ConfigureAwait(false);
            await c.OpenAsync().ConfigureAwait(false);
            await c.ExecuteAsync($"DROP DATABASE IF EXISTS {HistoryTableName.Quote(database)} WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
