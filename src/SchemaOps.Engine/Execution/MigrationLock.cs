using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Execution;

/// <summary>
/// One runner at a time: a session-level advisory lock with the key the layout's own tool uses (Flyway's, or
/// golang-migrate's; dbmate takes none, so its tables get a Flyway-style key), so SchemaOps and that tool
/// exclude each other too. It is taken outside any transaction, so it never holds back CREATE INDEX CONCURRENTLY
/// (which waits for every open transaction: Flyway's #3497). Released on dispose, or by PostgreSQL when the
/// connection dies. It is what makes other runners wait and says who they wait for; exactly-once does not depend
/// on it (<see cref="HistoryGuard"/>). Behind a pooler it is not taken at all: there it would lock a server process
/// other clients share, and could stay locked after we left.
/// </summary>
public sealed class MigrationLock : IAsyncDisposable
{
    private const long FlywayLockBase = 77431708279161; // ASCII "Flyway"
    private readonly NpgsqlConnection? _connection;
    private readonly long _key;

    private MigrationLock(NpgsqlConnection? connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    internal static async Task<MigrationLock> AcquireAsync(Operations.MigrationSession session, TimeSpan wait, IOperationSink sink, CancellationToken ct)
    {
        if (!await session.BehindPoolerAsync(ct).ConfigureAwait(false))
        {
            session.Guard.MayPrepare = true; // a direct connection keeps its server process: the guard's statements can be prepared
            return await AcquireAsync(session.Connection, session.History, wait, sink, ct).ConfigureAwait(false);
        }
        sink.WriteVerbose($"{session.Target.Display} is reached through a connection pooler (the server process running our statements is not the one " +
                          "the connection reported): no session lock, which a pooler shares between clients; each migration's own transaction is guarded instead");
        return new MigrationLock(null, 0);
    }

    /// <summary>Flyway's key: the base plus Java's String.hashCode of the quoted table name.</summary>
    public static long KeyFor(HistoryTableName table) => FlywayLockBase + JavaHashCode(table.Quoted);

    public static async Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, HistoryStore history, TimeSpan wait,
        IOperationSink sink, CancellationToken ct)
    {
        var table = history.Name;
        var key = history.LockKey(connection.Database);
        async Task<bool> TryLockAsync() => (bool)(await connection.ScalarAsync($"SELECT pg_try_advisory_lock({key})", ct).ConfigureAwait(false))!;
        if (await TryLockAsync().ConfigureAwait(false)) return new MigrationLock(connection, key);

        sink.WriteWarning($"another migration runner holds the lock on {table} ({await DescribeHolderAsync(connection, key, ct).ConfigureAwait(false)}); waiting up to {wait.TotalSeconds:0} s");
        // Poll rather than block in pg_advisory_lock: a blocked call holds a snapshot, and CREATE INDEX
        // CONCURRENTLY in the runner that owns the lock waits for every older snapshot: a deadlock.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(50);
        while (!await TryLockAsync().ConfigureAwait(false))
        {
            if (waited.Elapsed >= wait)
                throw new SchemaOpsException(ErrorCatalog.MigrationLockTimeout,
                    $"gave up after {wait.TotalSeconds:0} s waiting for the migration lock on {table}, held by {await DescribeHolderAsync(connection, key, ct).ConfigureAwait(false)}. " +
                    $"Another runner (SchemaOps or {MigrationLayouts.Name(history.Layout)}) is migrating this database; wait for it or raise -LockWaitTimeout / --lock-wait.", file: table.ToString());
            await Task.Delay(pause, ct).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(500, pause.TotalMilliseconds * 1.5));
        }
        sink.WriteVerbose($"acquired the migration lock on {table}");
        return new MigrationLock(connection, key);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
            await _connection.ExecuteAsync($"SELECT pg_advisory_unlock({_key})", CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<string> DescribeHolderAsync(NpgsqlConnection connection, long key, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(
            "SELECT a.pid, a.usename, a.application_name, a.client_addr::text, a.backend_start FROM pg_locks l " +
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted " +
            "AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1 LIMIT 1", connection)
        { Parameters = { new() { Value = (long)(uint)(key >> 32) }, new() { Value = (long)(uint)key } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return "a session that has just released it";
        return $"pid {r.GetInt32(0)}, user {(r.IsDBNull(1) ? "?" : r.GetString(1))}, application '{(r.IsDBNull(2) ? "" : r.GetString(2))}'" +
               $"{(r.IsDBNull(3) ? "" : " from " + r.GetString(3))}, connected since {r.GetDateTime(4):u}";
    }

    internal static int JavaHashCode(string s)
    {
        var h = 0;
        foreach (var c in s) h = unchecked(31 * h + c);
        return h;
    }
}
