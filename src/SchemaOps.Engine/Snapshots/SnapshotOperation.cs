using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Snapshots;

/// <summary>
/// Takes a schema snapshot, read-only, in one REPEATABLE READ transaction so objects, row counts and the
/// history describe the same moment. Schemas: -Schema / --schema, else every user schema.
/// </summary>
public static class SnapshotOperation
{
    /// <summary>How long a snapshot waits for a table's lock (reading takes ACCESS SHARE, which queues behind a waiting ALTER TABLE).</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(1);

    public static async Task<SchemaSnapshot> TakeAsync(MigrationRequest request, RowCountMode rowCounts, IOperationSink sink, CancellationToken ct, TimeSpan? lockWait = null)
    {
        var session = await OpenAsync(request, sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        var wait = lockWait ?? LockWait;
        try
        {
            return await request.GuardAsync("taking a snapshot", async () =>
            {
                var tx = await BeginAsync(session.Connection, ct, wait).ConfigureAwait(false);
                await using var txScope = tx.ConfigureAwait(false);
                var snapshot = await ReadAsync(session, request, rowCounts, sink, ct).ConfigureAwait(false);
                await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                sink.WriteObject(snapshot);
                return snapshot;
            }).ConfigureAwait(false);
        }
        catch (SchemaOpsException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
        {
            throw await LockWaitExceededAsync(request, wait, "a snapshot", "take it when it is done", null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A read's lock wait ran out (a snapshot's, or a backup's pg_dump): the tables someone holds or waits for an ACCESS EXCLUSIVE
    /// lock on are named, asked on a connection of its own (the reading transaction is over).
    /// </summary>
    internal static async Task<SchemaOpsException> LockWaitExceededAsync(MigrationRequest request, TimeSpan wait, string reader, string advice, string? file, CancellationToken ct)
    {
        string? tables = null;
        try
        {
            var connection = request.Target.CreateConnection();
            await using var scope = connection.ConfigureAwait(false);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var names = await connection.StringsAsync(
                "SELECT DISTINCT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_locks l " +
                "JOIN pg_catalog.pg_class c ON c.oid = l.relation JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE l.mode = 'AccessExclusiveLock' AND l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) ORDER BY 1",
                ct).ConfigureAwait(false);
            if (names.Count > 0) tables = string.Join(", ", names);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { } // naming them is a nicety
        return new SchemaOpsException(ErrorCatalog.LockTimeout,
            $"{tables ?? "a table"} could not be locked for reading within {Execution.LockSafety.Describe(wait)}: a session holds or is queued for an ACCESS EXCLUSIVE " +
            $"lock on it (ALTER TABLE, VACUUM FULL, TRUNCATE...), and {reader} would queue behind it; `schemaops locks` / Get-LockReport shows who. Nothing was " +
            $"kept: {advice}", file);
    }

    /// <summary>A session that reads no migration folder (a snapshot needs only the database and its history table).</summary>
    internal static Task<MigrationSession> OpenAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct) =>
        MigrationSession.OpenAsync(request.Target, request.Settings, new ScannedMigrations(request.Settings.Layout, []), sink, ct);

    /// <summary>
    /// The read-only REPEATABLE READ transaction a snapshot is read in (and a backup's pg_dump shares). The timeouts a
    /// production role or database sets are off in it, as pg_dump turns them off for its own sessions: exact row counts
    /// of big tables outlast a statement_timeout, and the transaction sits idle while pg_dump works, which an
    /// idle-in-transaction (and, from PostgreSQL 17, transaction) timeout would end, and the backup with it. The lock
    /// wait is the caller's (a backup's -LockWaitTimeout, a snapshot's <see cref="LockWait"/>; zero waits for ever).
    /// </summary>
    internal static async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken ct, TimeSpan lockWait)
    {
        var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        await connection.ExecuteAsync($"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = {(long)lockWait.TotalMilliseconds}; SET LOCAL idle_in_transaction_session_timeout = 0"
                                      + (connection.PostgreSqlVersion.Major >= 17 ? "; SET LOCAL transaction_timeout = 0" : ""), ct).ConfigureAwait(false);
        return tx;
    }

    /// <summary>Reads the snapshot inside the caller's transaction (see <see cref="BeginAsync"/>).</summary>
    internal static async Task<SchemaSnapshot> ReadAsync(MigrationSession session, MigrationRequest request, RowCountMode rowCounts, IOperationSink sink, CancellationToken ct)
    {
        var connection = session.Connection;
        var schemas = request.Settings.Schemas.Count > 0 ? request.Settings.Schemas.ToList() : await connection.StringsAsync(SnapshotQueries.UserSchemas, ct).ConfigureAwait(false);
        var historyExists = await session.History.ExistsAsync(ct).ConfigureAwait(false);
        // The history table (and SchemaOps' checksum companion beside dbmate's and golang-migrate's) is recorded as migrations, not as objects.
        string[] excluded = [$"{session.History.Name.Schema}.{session.History.Name.Table}", $"{session.History.Name.Schema}.{session.History.Name.Table}_checksums"];

        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Snapshot of {request.Target.Database}", "objects", 0));
        var objects = await ObjectsAsync(connection, schemas, excluded, ct).ConfigureAwait(false);
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Snapshot of {request.Target.Database}", "row counts", 50));
        var counts = await RowCountsAsync(connection, schemas, excluded, rowCounts, ct).ConfigureAwait(false);
        var migrations = historyExists ? InEffect(await session.ReadHistoryAsync(ct).ConfigureAwait(false)) : [];
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Snapshot of {request.Target.Database}", "done", 100, Completed: true));

        return new SchemaSnapshot
        {
            Database = request.Target.Display,
            TakenAt = DateTime.UtcNow,
            Format = SchemaSnapshot.CurrentFormat,
            ServerVersion = (string)(await connection.ScalarAsync("SHOW server_version", ct).ConfigureAwait(false))!,
            Schemas = schemas,
            Objects = objects,
            RowCounts = counts,
            Migrations = migrations,
            MigrationVersion = Highest(migrations),
        };
    }

    /// <summary>The highest version in effect (applied or baseline, not failed) in a history.</summary>
    internal static MigrationVersion? VersionInEffect(IReadOnlyList<AppliedMigration> rows) => Highest(InEffect(rows));

    private static MigrationVersion? Highest(List<SnapshotMigration> migrations) =>
        migrations.Where(m => m.Version is not null && m.State != "Failed").Select(m => m.Version!).DefaultIfEmpty().Max();

    private const int ProgressId = 3;

    private static async Task<List<SchemaObject>> ObjectsAsync(NpgsqlConnection connection, List<string> schemas, string[] excluded, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(SnapshotQueries.Objects, connection) { Parameters = { new() { Value = schemas.ToArray() }, new() { Value = excluded } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        var objects = new List<SchemaObject>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            objects.Add(new SchemaObject
            {
                Kind = Enum.Parse<SchemaObjectKind>(r.GetString(0)), Schema = r.GetString(1), Name = r.GetString(2),
                Table = r.IsDBNull(3) ? null : r.GetString(3), Definition = r.IsDBNull(4) ? "" : r.GetString(4),
            });
        return objects.OrderBy(o => o.Kind).ThenBy(o => o.Schema, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal).ToList();
    }

    private static async Task<List<TableRowCount>> RowCountsAsync(NpgsqlConnection connection, List<string> schemas, string[] excluded, RowCountMode mode, CancellationToken ct)
    {
        if (mode == RowCountMode.None) return [];
        var tables = new List<(string Schema, string Table, long Estimate)>();
        var cmd = new NpgsqlCommand(SnapshotQueries.Tables, connection) { Parameters = { new() { Value = schemas.ToArray() }, new() { Value = excluded } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) tables.Add((r.GetString(0), r.GetString(1), r.GetInt64(2)));

        var counts = new List<TableRowCount>();
        foreach (var (schema, table, estimate) in tables)
        {
            var rows = mode == RowCountMode.Exact
                ? (long)(await connection.ScalarAsync($"SELECT count(*) FROM {HistoryTableName.Quote(schema)}.{HistoryTableName.Quote(table)}", ct).ConfigureAwait(false))!
                : estimate < 0 ? (long?)null : estimate; // -1: never analyzed
            counts.Add(new TableRowCount { Schema = schema, Table = table, Rows = rows, Exact = mode == RowCountMode.Exact });
        }
        return counts;
    }

    /// <summary>The migrations in effect: applied (not undone, deleted or superseded), failed, or the baseline.</summary>
    private static List<SnapshotMigration> InEffect(IReadOnlyList<AppliedMigration> rows) =>
        StateResolver.Resolve([], rows, null, outOfOrder: true)
            .Where(e => e.Applied is not null && e.Kind is MigrationKind.Versioned or MigrationKind.Repeatable or MigrationKind.Baseline)
            .Select(e => (Entry: e, State: e.State switch
            {
                MigrationState.Baseline => "Baseline",
                MigrationState.Failed or MigrationState.FailedMissing or MigrationState.FailedFuture => "Failed",
                MigrationState.Success or MigrationState.OutOfOrder or MigrationState.Missing or MigrationState.Future => "Applied",
                _ => null, // undone, deleted, superseded: no longer in effect
            }))
            .Where(x => x.State is not null)
            .Select(x => new SnapshotMigration
            {
                Version = x.Entry.ShownVersion, Description = x.Entry.Description, Type = x.Entry.Applied!.Type, Checksum = x.Entry.Applied.Checksum, State = x.State!,
            })
            .ToList();
}
