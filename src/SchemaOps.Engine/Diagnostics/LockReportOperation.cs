using Npgsql;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Engine.Diagnostics;

/// <summary>What a lock report shows: a relation filter, the shortest wait worth showing, the query text's length, polling.</summary>
public sealed record LockReportOptions
{
    /// <summary>Only locks on this relation (table or schema.table).</summary>
    public string? Relation { get; init; }
    /// <summary>Only trees with a waiter that has waited at least this long.</summary>
    public TimeSpan MinimumWait { get; init; }
    /// <summary>Query text length; null for the whole text.</summary>
    public int? QueryLength { get; init; } = 120;
    /// <summary>Poll every interval until canceled (or <see cref="Count"/> reports); null for one report.</summary>
    public TimeSpan? Interval { get; init; }
    public int? Count { get; init; }
}

/// <summary>
/// Who holds and who waits for which lock, as a blocking tree (pg_blocking_pids), in one catalog query:
/// every ungranted lock, and every granted lock on the same object held by a session that blocks its
/// waiter. Read-only; with an interval it polls, one report per round, until canceled.
/// </summary>
public static class LockReportOperation
{
    private const string Query = $$"""
        WITH waiting AS (
            SELECT l.*, pg_blocking_pids(l.pid) AS blockers FROM pg_locks l WHERE NOT l.granted AND l.pid <> pg_backend_pid()),
        -- A prepared transaction (two-phase commit) holds locks with no session: pg_blocking_pids names it 0.
        holding AS (
            SELECT DISTINCT h.*, '{}'::int[] AS blockers
            FROM waiting w JOIN pg_locks h ON h.granted AND (h.pid = ANY (w.blockers) OR h.pid IS NULL AND 0 = ANY (w.blockers))
             AND h.locktype = w.locktype AND h.database IS NOT DISTINCT FROM w.database AND h.relation IS NOT DISTINCT FROM w.relation
             AND h.page IS NOT DISTINCT FROM w.page AND h.tuple IS NOT DISTINCT FROM w.tuple AND h.virtualxid IS NOT DISTINCT FROM w.virtualxid
             AND h.transactionid IS NOT DISTINCT FROM w.transactionid AND h.classid IS NOT DISTINCT FROM w.classid
             AND h.objid IS NOT DISTINCT FROM w.objid AND h.objsubid IS NOT DISTINCT FROM w.objsubid),
        locks AS (SELECT * FROM waiting UNION ALL SELECT * FROM holding),
        prepared AS ({{PreparedTransactions.ByVirtualTransaction}})
        SELECT coalesce(l.pid, 0), l.granted, l.blockers, l.mode, l.locktype,
               CASE WHEN l.relation IS NOT NULL THEN format('%I.%I', n.nspname, c.relname)
                    WHEN l.locktype = 'transactionid' THEN 'transaction ' || l.transactionid
                    WHEN l.locktype = 'virtualxid' THEN 'virtual transaction ' || l.virtualxid
                    WHEN l.locktype = 'advisory' THEN 'advisory ' || ((l.classid::bigint << 32) | l.objid::bigint)
                    ELSE l.locktype END,
               n.nspname, c.relname,
               CASE WHEN NOT l.granted THEN extract(epoch FROM now() - coalesce(l.waitstart, a.state_change)) END,
               extract(epoch FROM now() - coalesce(a.xact_start, x.prepared)),
               coalesce(a.usename, x.owner), coalesce(a.application_name, 'prepared transaction ' || quote_literal(x.gid)), host(a.client_addr),
               coalesce(a.state, CASE WHEN x.gid IS NOT NULL THEN 'prepared: no session runs it, COMMIT PREPARED or ROLLBACK PREPARED ends it' END), a.query_start, a.query
        FROM locks l
        LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        LEFT JOIN prepared x ON l.pid IS NULL AND x.virtualtransaction = l.virtualtransaction
        LEFT JOIN pg_class c ON c.oid = l.relation
        LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
        """;

    public static async Task<IReadOnlyList<LockReportEntry>> ReportAsync(ConnectionTarget target, LockReportOptions options, IOperationSink sink, CancellationToken ct)
    {
        if (options.QueryLength is < 0) throw Errors.Parameter(ErrorCatalog.InvalidQueryLength, "the query length cannot be negative");
        if (options.Interval is { } i && i <= TimeSpan.Zero) throw Errors.Parameter(ErrorCatalog.InvalidInterval, "the watch interval must be positive");
        var connection = await target.OpenAsync("reading the locks", sink, ct).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        try
        {
            for (var round = 1; ; round++)
            {
                var report = await OnceAsync(connection, target, options, ct).ConfigureAwait(false);
                foreach (var entry in report) sink.WriteObject(entry);
                if (options.Interval is null || round == options.Count) return report;
                await Task.Delay(options.Interval.Value, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not SchemaOpsException and not OperationCanceledException)
        {
            throw DatabaseErrors.Translate(e, target, "reading the locks");
        }
    }

    private static async Task<List<LockReportEntry>> OnceAsync(NpgsqlConnection connection, ConnectionTarget target, LockReportOptions options, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var rows = new List<LockReportEntry>();
        var cmd = new NpgsqlCommand(Query, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var query = ActivityOperation.Shorten(r.IsDBNull(15) ? null : r.GetString(15), options.QueryLength);
                rows.Add(new LockReportEntry
                {
                    TakenAt = now, Pid = r.GetInt32(0), Granted = r.GetBoolean(1), BlockedBy = r.GetFieldValue<int[]>(2), Mode = r.GetString(3), LockType = r.GetString(4),
                    Target = r.GetString(5), WaitSeconds = r.IsDBNull(8) ? null : (double)r.GetDecimal(8), TransactionSeconds = r.IsDBNull(9) ? null : (double)r.GetDecimal(9),
                    User = r.IsDBNull(10) ? null : r.GetString(10), Application = r.IsDBNull(11) ? null : r.GetString(11), ClientAddress = r.IsDBNull(12) ? null : r.GetString(12),
                    State = r.IsDBNull(13) ? null : r.GetString(13), QueryStart = r.IsDBNull(14) ? null : r.GetDateTime(14), Query = query, Database = target.Display,
                });
            }
        return Tree(rows, options);
    }

    /// <summary>Depths, direct waiter counts, filters, and the order: roots first, then each level of waiters; the biggest blockers first within a level.</summary>
    private static List<LockReportEntry> Tree(List<LockReportEntry> rows, LockReportOptions options)
    {
        var blockersOf = rows.GroupBy(e => e.Pid).ToDictionary(g => g.Key, g => g.SelectMany(e => e.BlockedBy).Distinct().ToArray());
        var depth = new Dictionary<int, int>();
        int DepthOf(int pid, HashSet<int> path)
        {
            if (depth.TryGetValue(pid, out var d)) return d;
            if (!path.Add(pid)) return 0; // a deadlock cycle (the server breaks it within deadlock_timeout)
            var blockers = blockersOf.GetValueOrDefault(pid, []);
            d = blockers.Length == 0 ? 0 : blockers.Max(b => DepthOf(b, path)) + 1;
            path.Remove(pid);
            return depth[pid] = d;
        }
        var waitersOf = blockersOf.SelectMany(kv => kv.Value.Select(b => (Blocker: b, Waiter: kv.Key))).GroupBy(x => x.Blocker).ToDictionary(g => g.Key, g => g.Count());

        var entries = rows.Select(e => new LockReportEntry
        {
            TakenAt = e.TakenAt, Pid = e.Pid, Depth = DepthOf(e.Pid, []), Granted = e.Granted, BlockedBy = e.BlockedBy, Blocking = waitersOf.GetValueOrDefault(e.Pid),
            Mode = e.Mode, LockType = e.LockType, Target = e.Target, WaitSeconds = e.WaitSeconds, TransactionSeconds = e.TransactionSeconds, User = e.User,
            Application = e.Application, ClientAddress = e.ClientAddress, State = e.State, QueryStart = e.QueryStart, Query = e.Query, Database = e.Database,
        }).ToList();

        if (options.Relation is { } relation)
            entries = entries.Where(e => e.Target == relation || e.Target.EndsWith("." + relation, StringComparison.Ordinal)).ToList();
        if (options.MinimumWait > TimeSpan.Zero)
        {
            // Keep whole trees whose longest wait reaches the minimum: a waiter without its blocker explains nothing.
            var longWaiters = entries.Where(e => e.WaitSeconds >= options.MinimumWait.TotalSeconds).Select(e => e.Pid).ToHashSet();
            var keep = new HashSet<int>(longWaiters);
            foreach (var pid in longWaiters) AddBlockers(pid);
            void AddBlockers(int pid)
            {
                foreach (var b in blockersOf.GetValueOrDefault(pid, []))
                    if (keep.Add(b)) AddBlockers(b);
            }
            entries = entries.Where(e => keep.Contains(e.Pid)).ToList();
        }
        return entries.OrderBy(e => e.Depth).ThenByDescending(e => e.Blocking).ThenBy(e => e.Pid).ThenBy(e => e.Target, StringComparer.Ordinal).ToList();
    }
}
