using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Lint;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Impact;

/// <summary>
/// Get-MigrationImpact / `schemaops impact`: for every statement of every pending migration, against the live database
/// and without changing it, the lock it takes (<see cref="StatementLocks"/>), the tables it touches with their size and
/// estimated rows now, whether it rewrites or scans them, the sessions that would block it right now (granted locks
/// that conflict with it), and the linter's findings with the safe rewrite.
/// </summary>
public static class ImpactOperation
{
    public static async Task<List<MigrationImpact>> PreviewAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var set = request.Scanned ?? MigrationRequest.Scan(request.Settings, sink);
        var session = await (request with { Scanned = set }).OpenWithScriptsAsync(NullSink.Instance, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        // What is pending, from the history read on the one session every question below is asked on.
        var history = await request.GuardAsync("reading the history", () => session.ReadHistoryAsync(ct)).ConfigureAwait(false);
        // A script is its file and kind: a dbmate file holds its migration and, with the same path, its undo (down section).
        var pending = StateResolver.Resolve(session.Scripts, history, request.TargetVersion, session.OutOfOrder)
            .Where(e => e.State == MigrationState.Pending).Select(e => (e.Local!.FullPath, e.Local.Kind)).ToHashSet();
        var scripts = set.Scripts.Where(s => pending.Contains((s.FullPath, s.Kind))).ToList(); // as written: placeholders are not replaced
        var major = session.ServerVersionNum / 10000;
        // As the lint gate sees it: tables the applied migrations made hold data by now (an index on one needs CONCURRENTLY).
        var findings = request.Settings.LintRules.Apply(Linter.LintSet(set, new LintOptions { PostgresMajor = major, Layout = set.Layout, Group = request.Settings.Group, Mixed = request.Settings.Mixed },
            inDatabase: s => !pending.Contains((s.FullPath, s.Kind))));
        var impacts = new List<MigrationImpact>();
        var created = new HashSet<string>(StringComparer.Ordinal); // tables the pending migrations create: new, nobody waits on them
        // Asked once per table set (and lock mode) in a run: a data migration of 8,000 INSERTs into one table asked
        // the server 16,000 times (16.5 s); every statement on a table now shows the same moment's blockers.
        var tablesOf = new Dictionary<string, List<Table>>(StringComparer.Ordinal);
        var blockersOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var script in scripts)
        {
            var statements = SqlSplitter.Split(script.Text, script.DisplayPath, script.FirstLine);
            for (var n = 0; n < statements.Count; n++)
            {
                var statement = statements[n];
                var next = n + 1 < statements.Count ? statements[n + 1].Line : int.MaxValue;
                var locks = StatementLocks.OnExisting(new LintStatement(statement, script.Text), major, created);
                var names = string.Join('\n', locks.Names.Select(n => (n.IsIndex ? "index " : "") + n.Name));
                if (!tablesOf.TryGetValue(names, out var tables))
                    tablesOf[names] = tables = await TablesAsync(session.Connection, locks.Names, ct).ConfigureAwait(false);
                var holding = $"{locks.Mode} {string.Join(',', tables.Select(t => t.Oid))}";
                if (!blockersOf.TryGetValue(holding, out var blockers))
                    blockersOf[holding] = blockers = await BlockersAsync(session.Connection, tables, locks.Mode, ct).ConfigureAwait(false);
                var own = findings.Where(f => f.File == script.DisplayPath && f.Line >= statement.Line && f.Line < next).ToList();
                // What migrate would stop at (InvalidIndexInTheWay): said here, before the window.
                var leftover = InvalidIndexes.Read(statement, script.Text) is { IfNotExists: true } index
                    ? await InvalidIndexes.OnTableAsync(session.Connection, index, ct).ConfigureAwait(false) : [];
                var impact = new MigrationImpact
                {
                    Migration = script.Label, Script = script.DisplayPath, Line = statement.Line, Statement = statement.Text.Split('\n')[0].Trim(),
                    LockMode = StatementLocks.Name(locks.Mode), Work = locks.Work,
                    Tables = tables.Select(t => t.Name).ToList(),
                    Bytes = tables.Count == 0 ? null : tables.Sum(t => t.Bytes),
                    Rows = tables.Count == 0 || tables.All(t => t.Rows < 0) ? null : tables.Sum(t => Math.Max(0, t.Rows)),
                    Blockers = [.. blockers], // a list of its own: the objects go out to users
                    Findings = [.. own.Select(f => f.RuleId).Distinct(), .. leftover.Count > 0 ? [InvalidIndexInTheWay] : Array.Empty<string>()],
                    SafeRewrite = leftover.Count > 0 ? $"{InvalidIndexes.DropAdvice(leftover)} first: an INVALID index stands in the way, which IF NOT EXISTS would pass over"
                        : own.Select(f => f.Suggestion).FirstOrDefault(s => s is not null),
                };
                impacts.Add(impact);
                sink.WriteObject(impact);
            }
        }
        return impacts;
    }

    /// <summary>The finding for a CREATE INDEX ... IF NOT EXISTS whose index stands INVALID in the database (not a lint rule: the files alone cannot tell).</summary>
    public const string InvalidIndexInTheWay = "invalid-index-in-the-way";

    private sealed record Table(uint Oid, string Name, long Bytes, long Rows);

    /// <summary>
    /// The existing tables behind the names, as the migration's search path resolves them (an index: its table). Sizes
    /// are read with a short lock_timeout: pg_total_relation_size takes a lock, and would queue behind the very ALTER a
    /// preview is run to explain; a table busy that way gets its size from the catalog (as of its last VACUUM or ANALYZE).
    /// </summary>
    private static async Task<List<Table>> TablesAsync(NpgsqlConnection connection, IReadOnlyList<LockedName> names, CancellationToken ct)
    {
        var tables = new List<Table>();
        foreach (var name in names.Where(n => n.Name.Length > 0))
        {
            Table? table;
            try
            {
                table = await TableAsync(connection, name, exactSize: true, ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                table = await TableAsync(connection, name, exactSize: false, ct).ConfigureAwait(false); // rolled back: the catalog's size instead
            }
            if (table is not null && tables.All(t => t.Oid != table.Oid)) tables.Add(table);
        }
        return tables;
    }

    /// <summary>The table, or null when it does not exist; the exact size throws 55P03 when the table's lock is not to be had at once.</summary>
    private static async Task<Table?> TableAsync(NpgsqlConnection connection, LockedName name, bool exactSize, CancellationToken ct)
    {
        var size = exactSize ? "pg_total_relation_size(c.oid)"
            : "(SELECT sum(r.relpages)::bigint FROM pg_catalog.pg_class r WHERE r.oid IN (c.oid, c.reltoastrelid) OR r.oid IN (SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid))" +
              " * current_setting('block_size')::bigint";
        // In a transaction of its own: SET LOCAL ends with it (a session setting would outlive it behind a pooler).
        var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        if (exactSize) await connection.ExecuteAsync("SET LOCAL lock_timeout = '100ms'", ct).ConfigureAwait(false);
        var cmd = new NpgsqlCommand($"""
            SELECT c.oid, n.nspname || '.' || c.relname, {size}, c.reltuples::bigint
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = CASE WHEN $2 THEN (SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = to_regclass($1))
                               ELSE to_regclass($1) END
            """, connection) { Parameters = { new() { Value = name.Name }, new() { Value = name.IsIndex } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
            return await r.ReadAsync(ct).ConfigureAwait(false) ? new Table(r.GetFieldValue<uint>(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)) : null;
    }

    /// <summary>
    /// What the statement's lock would wait for right now, named as the lock report names them: sessions holding a
    /// conflicting lock on its tables, sessions already waiting in the lock queue for one (a request queues behind them),
    /// and prepared transactions holding one (two-phase commit left behind: no session, pg_blocking_pids' pid 0).
    /// </summary>
    private static async Task<List<string>> BlockersAsync(NpgsqlConnection connection, List<Table> tables, LockMode wanted, CancellationToken ct)
    {
        var blockers = new List<string>();
        if (tables.Count == 0 || wanted == LockMode.None) return blockers;
        var cmd = new NpgsqlCommand($"""
            WITH prepared AS ({Diagnostics.PreparedTransactions.ByVirtualTransaction})
            SELECT l.mode, l.granted, a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), coalesce(a.state, ''),
                   coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start, x.prepared))::bigint, 0), l.relation::regclass::text, x.gid, x.owner
            FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                 LEFT JOIN prepared x ON l.pid IS NULL AND x.virtualtransaction = l.virtualtransaction
            WHERE l.locktype = 'relation' AND l.relation = ANY($1) AND (a.pid <> pg_backend_pid() OR x.gid IS NOT NULL)
            ORDER BY l.granted DESC, coalesce(a.xact_start, x.prepared) NULLS LAST, a.pid
            """, connection) { Parameters = { new() { Value = tables.Select(t => t.Oid).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            if (!StatementLocks.Conflicts(wanted, StatementLocks.FromPgLocks(r.GetString(0)))) continue;
            var what = $"{(r.GetBoolean(1) ? "holds" : "waits for")} {r.GetString(0)} on {r.GetString(7)}";
            var line = r.IsDBNull(8)
                ? $"pid {r.GetInt32(2)} ({string.Join(", ", new[] { r.GetString(3), r.GetString(4), $"{r.GetString(5)} for {r.GetInt64(6)} s" }.Where(p => p.Length > 0))}) {what}"
                : $"{Diagnostics.PreparedTransactions.Describe(new(r.GetString(8), r.GetString(9), r.GetInt64(6)))}; it {what}";
            if (!blockers.Contains(line)) blockers.Add(line);
        }
        return blockers;
    }
}
