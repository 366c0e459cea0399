using Npgsql;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Engine.Diagnostics;

/// <summary>Get-DatabaseActivity: client sessions (pg_stat_activity, this one excluded), or their summary against max_connections.</summary>
public static class ActivityOperation
{
    /// <summary>An active query running longer than this is flagged LongRunning unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultLongRunning = TimeSpan.FromMinutes(1);

    private const string Sessions = """
        SELECT pid, datname, usename, application_name, host(client_addr), state,
               CASE WHEN wait_event IS NOT NULL THEN wait_event_type || ':' || wait_event END,
               extract(epoch FROM now() - xact_start), extract(epoch FROM now() - query_start), query
        FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
        ORDER BY xact_start NULLS LAST, pid
        """;

    public static async Task<IReadOnlyList<SessionActivity>> SessionsAsync(ConnectionTarget target, TimeSpan longRunning, int? queryLength, IOperationSink sink, CancellationToken ct)
    {
        var connection = await target.OpenAsync("reading the activity", sink, ct).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var sessions = await ReadAsync(connection, longRunning, queryLength, ct).ConfigureAwait(false);
        foreach (var s in sessions) sink.WriteObject(s);
        return sessions;
    }

    public static async Task<ActivitySummary> SummaryAsync(ConnectionTarget target, TimeSpan longRunning, IOperationSink sink, CancellationToken ct)
    {
        var connection = await target.OpenAsync("reading the activity", sink, ct).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var sessions = await ReadAsync(connection, longRunning, 0, ct).ConfigureAwait(false);
        var max = int.Parse((string)(await connection.ScalarAsync("SHOW max_connections", ct).ConfigureAwait(false))!);
        var reserved = int.Parse((string)(await connection.ScalarAsync("SHOW superuser_reserved_connections", ct).ConfigureAwait(false))!);
        var connections = sessions.Count + 1; // this one counts too
        var summary = new ActivitySummary
        {
            Server = target.Display, Connections = connections, MaxConnections = max, ReservedConnections = reserved,
            UsedPercent = Math.Round(100.0 * connections / max, 1),
            Active = sessions.Count(s => s.State == "active"), Idle = sessions.Count(s => s.State == "idle"),
            IdleInTransaction = sessions.Count(s => s.IdleInTransaction), LongRunning = sessions.Count(s => s.LongRunning),
            WaitingForLocks = sessions.Count(s => s.WaitEvent?.StartsWith("Lock:", StringComparison.Ordinal) == true),
        };
        sink.WriteObject(summary);
        return summary;
    }

    internal static async Task<List<SessionActivity>> ReadAsync(NpgsqlConnection connection, TimeSpan longRunning, int? queryLength, CancellationToken ct)
    {
        var list = new List<SessionActivity>();
        var cmd = new NpgsqlCommand(Sessions, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            double? D(int i) => r.IsDBNull(i) ? null : (double)r.GetDecimal(i);
            var state = S(5);
            var query = Shorten(S(9), queryLength);
            list.Add(new SessionActivity
            {
                Pid = r.GetInt32(0), Database = S(1), User = S(2), Application = S(3), ClientAddress = S(4), State = state, WaitEvent = S(6),
                TransactionSeconds = D(7), QuerySeconds = D(8), Query = query,
                LongRunning = state == "active" && D(8) > longRunning.TotalSeconds,
                IdleInTransaction = state is "idle in transaction" or "idle in transaction (aborted)",
            });
        }
        return list;
    }

    /// <summary>A session's query as reports show it: cut at <paramref name="max"/> characters (none at 0; all when null).</summary>
    internal static string? Shorten(string? query, int? max) =>
        query is null || max is not { } m || query.Length <= m ? query : m == 0 ? null : query[..m] + "…";
}
