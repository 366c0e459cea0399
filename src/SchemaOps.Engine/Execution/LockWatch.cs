using Npgsql;

namespace SchemaOps.Engine.Execution;

/// <summary>
/// Watches, from a second connection, which sessions block the migration's connection (pg_blocking_pids),
/// so a migration that gives up waiting for a lock can name who held it: by the time the error arrives the
/// wait is over and the server no longer says. Behind a pooler each transaction may run in another server process
/// than the one the session started in, so each names itself for its own duration (<see cref="TransactionName"/>,
/// set as application_name) and the watch looks for that name.
/// </summary>
internal sealed class LockWatch : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile string? _lastBlockers;

    private LockWatch(NpgsqlConnection connection, int pid, string? transactionName, TimeSpan interval)
    {
        _connection = connection;
        TransactionName = transactionName;
        _loop = Task.Run(() => PollAsync(pid, interval, _stop.Token));
    }

    /// <summary>Behind a pooler: the application_name each migration transaction sets for itself (SET LOCAL); null on a direct connection.</summary>
    public string? TransactionName { get; }

    /// <summary>The blocking sessions last seen, described; null if none was seen.</summary>
    public string? LastBlockers => _lastBlockers;

    /// <summary>`await using` of a watch that may not have started (null), never resuming on the caller's context.</summary>
    public static System.Runtime.CompilerServices.ConfiguredAsyncDisposable Scope(LockWatch? watch) =>
        ((IAsyncDisposable?)watch ?? NotStarted.Instance).ConfigureAwait(false);

    private sealed class NotStarted : IAsyncDisposable
    {
        public static readonly NotStarted Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public static async Task<LockWatch?> StartAsync(Operations.MigrationSession session, LockSafety safety, CancellationToken ct)
    {
        if (!safety.LimitsLocks) return null;
        var connection = session.Target.CreateConnection();
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false); // naming the blocker is a nicety: never fail a migration for it
            return null;
        }
        // Several looks per lock_timeout, so even a short wait is seen.
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(safety.LockTimeout.TotalMilliseconds / 4, 20, 250));
        var transactionName = session.SeenBehindPooler ? $"schemaops {Guid.NewGuid():N}" : null;
        return new LockWatch(connection, session.BackendPid, transactionName, interval);
    }

    private async Task PollAsync(int pid, TimeSpan interval, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(
            // No query text: another session's SQL may hold anything, secrets included. Pid 0: a prepared transaction.
            "SELECT (SELECT string_agg(format('pid %s (user %s, application ''%s'', %s, query started %s)', a.pid, a.usename, a.application_name, a.state, " +
            "to_char(a.query_start, 'YYYY-MM-DD HH24:MI:SS')), '; ') FROM unnest(w.blockers) b(pid) JOIN pg_stat_activity a ON a.pid = b.pid), 0 = ANY (w.blockers) " +
            "FROM (SELECT pg_blocking_pids(coalesce((SELECT pid FROM pg_stat_activity WHERE application_name = $2 LIMIT 1), $1)) AS blockers) w", _connection)
        { Parameters = { new() { Value = pid }, new() { Value = (object?)TransactionName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                string? sessions;
                bool prepared;
                var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (r.ConfigureAwait(false))
                {
                    await r.ReadAsync(ct).ConfigureAwait(false);
                    (sessions, prepared) = (r.IsDBNull(0) ? null : r.GetString(0), !r.IsDBNull(1) && r.GetBoolean(1));
                }
                var blockers = sessions;
                if (prepared)
                {
                    var orphans = (await Diagnostics.PreparedTransactions.InDatabaseAsync(_connection, ct).ConfigureAwait(false)).Select(Diagnostics.PreparedTransactions.Describe);
                    blockers = string.Join("; ", sessions is null ? orphans : orphans.Prepend(sessions));
                }
                if (!string.IsNullOrEmpty(blockers)) _lastBlockers = blockers;
                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (NpgsqlException)
            {
                return; // the watch connection broke: the migration goes on without it
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
