using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;

namespace SchemaOps.Engine.Execution;

/// <summary>
/// Exactly once without trusting the session lock: a transaction pooler hands a locked server connection to
/// whichever client comes next, and a script can release the lock (pg_advisory_unlock_all). Every transaction that
/// applies or undoes a migration first takes a transaction-level advisory lock, then checks that the history is
/// still what the plan was made from, and learns the history's new state before it commits. If someone else changed
/// the history meanwhile, the transaction stops before its first statement (<see cref="HistoryChangedException"/>)
/// and the caller re-reads the history and plans again. It all travels in the migration's own batch: no round trip
/// of its own.
/// </summary>
internal sealed class HistoryGuard(HistoryStore history, long sessionKey)
{
    // A key of its own: behind a pooler a session lock can be left held on a server connection nobody owns any
    // more, and the transaction lock must not wait for that.
    private readonly long _key = unchecked(sessionKey * 31 + 0x5343484F5053); // "SCHOPS"

    /// <summary>The history's state the plan was made from; null until the history has been read (nothing to compare).</summary>
    public string? Expected { get; set; }

    /// <summary>The transaction-level lock every guarded transaction takes first (after its SET LOCALs: lock_timeout bounds the wait).</summary>
    public string LockSql => _prepared is { } name ? $"EXECUTE schemaops_lock_{name}" : PlainLockSql;

    private string PlainLockSql => $"SELECT pg_advisory_xact_lock({_key})";

    /// <summary>
    /// The check, a statement of its own after the lock (so it reads what the lock's previous holder committed). It
    /// fails, by casting text to int, when the state differs: no procedural code, and the value is never a constant
    /// the planner would try to cast before the comparison decides. Null when there is nothing to compare yet.
    /// </summary>
    public string? CheckSql => Expected is null ? null
        : _prepared is { } name ? $"EXECUTE schemaops_check_{name}({Sql.SqlLiteral.Of(Expected)})"
        : CheckSqlFor(Sql.SqlLiteral.Of(Expected));

    private string CheckSqlFor(string expected) =>
        $"SELECT CASE WHEN s IS DISTINCT FROM {expected} THEN ('schemaops: the migration history changed: ' || coalesce(s, ''))::int END " +
        $"FROM ({history.StateSql}) AS state(s)";

    /// <summary>Set on a direct connection (never behind a pooler): the lock, the check and the history record may then be prepared once for the session.</summary>
    public bool MayPrepare { get; set; }

    /// <summary>Whether the next transaction's lock, check and record use the session's prepared statements.</summary>
    public bool IsPrepared => _prepared is not null;

    // The statements' name suffix once prepared; the key is in it, so a statement of another history table is never taken for ours.
    private string? _prepared;

    // The history records prepared as well: command text -> statement name.
    private readonly Dictionary<string, string> _records = new(StringComparer.Ordinal);

    /// <summary>
    /// Prepares the lock, the check and the history's record commands (<paramref name="records"/>, a sample: their
    /// text is the same for every migration) in this session's server process, once, when the history exists:
    /// planning them for every migration cost about a third of a small migration's time (1,000 light migrations:
    /// 1.31 s planned each time, 0.90 s prepared; bench/RESULTS.md). Never behind a pooler,
    /// which moves a client between server processes; should the statements still vanish (a script's DEALLOCATE ALL,
    /// a pooler not recognised), the transaction fails on one of ours, <see cref="Unprepare"/> is called and the
    /// migration planned again with plain statements.
    /// </summary>
    public async Task PrepareAsync(NpgsqlConnection connection, IEnumerable<NpgsqlBatchCommand> records, CancellationToken ct)
    {
        var name = unchecked((ulong)_key).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var existing = await connection.StringsAsync("SELECT name FROM pg_prepared_statements WHERE name LIKE 'schemaops\\_%'", ct).ConfigureAwait(false);
        var prepare = new List<string>();
        if (!existing.Contains($"schemaops_lock_{name}")) prepare.Add($"PREPARE schemaops_lock_{name} AS {PlainLockSql}");
        if (!existing.Contains($"schemaops_check_{name}")) prepare.Add($"PREPARE schemaops_check_{name}(text) AS {CheckSqlFor("$1")}");
        _records.Clear();
        foreach (var record in records)
        {
            if (ParameterTypes(record) is not { } types || _records.ContainsKey(record.CommandText)) continue;
            var statement = $"schemaops_record_{name}_{_records.Count}";
            if (!existing.Contains(statement)) prepare.Add($"PREPARE {statement}({types}) AS {record.CommandText}");
            _records[record.CommandText] = statement;
        }
        if (prepare.Count > 0) await connection.ExecuteAsync(string.Join("; ", prepare), ct).ConfigureAwait(false);
        _prepared = name;
    }

    /// <summary>A history record command as an EXECUTE of its prepared statement (its values as literals); the command itself when not prepared.</summary>
    public NpgsqlBatchCommand Use(NpgsqlBatchCommand record) =>
        _prepared is not null && _records.TryGetValue(record.CommandText, out var statement)
            ? new NpgsqlBatchCommand($"EXECUTE {statement}({string.Join(", ", record.Parameters.Select(p => Literal(p.Value)))})")
            : record;

    // Text as an E'' literal: read the same whatever a script set standard_conforming_strings to (bind parameters,
    // the plain path, are immune; a plain '' literal is not).
    private static string Literal(object? value) =>
        value is string text ? "E'" + text.Replace("\\", "\\\\").Replace("'", "''") + "'" : Sql.SqlLiteral.Of(value);

    // The PREPARE parameter list of a command whose parameters all have a type we can name; null: not prepared.
    private static string? ParameterTypes(NpgsqlBatchCommand command)
    {
        var types = command.Parameters.Select(p => p.NpgsqlDbType switch
        {
            NpgsqlTypes.NpgsqlDbType.Varchar => "varchar",
            NpgsqlTypes.NpgsqlDbType.Text => "text",
            NpgsqlTypes.NpgsqlDbType.Integer => "int",
            NpgsqlTypes.NpgsqlDbType.Boolean => "bool",
            _ => null,
        }).ToList();
        return types.Count > 0 && types.All(t => t is not null) ? string.Join(", ", types) : null;
    }

    public void Unprepare()
    {
        _prepared = null;
        MayPrepare = false;
    }

    /// <summary>The history's state after this transaction's own change, read before COMMIT, when the history's own record does not tell it.</summary>
    public string ObserveSql => $"SELECT ({history.StateSql}) AS {ObservedColumn}";

    public const string ObservedColumn = "schemaops_history_state";

    /// <summary>
    /// For a transaction that changes the history outside a migration batch (repair): takes the lock, then checks the
    /// history is still as planned; <see cref="HistoryChangedException"/> when it is not (the caller rolls back).
    /// </summary>
    public async Task LockAndCheckAsync(NpgsqlConnection connection, string what, CancellationToken ct)
    {
        await connection.ExecuteAsync(LockSql, ct).ConfigureAwait(false);
        if (CheckSql is not { } check) return;
        try
        {
            await connection.ExecuteAsync(check, ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidTextRepresentation)
        {
            throw new HistoryChangedException(what); // the check's cast of the changed state to int
        }
    }

    /// <summary>The history's current state, for a plan just read (call in the same transaction as the read).</summary>
    public async Task ReadExpectedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(history.StateSql, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        Expected = (string?)await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) ?? "";
    }
}

/// <summary>Someone else changed the history between the plan and a migration's transaction, which was rolled back before its first statement.</summary>
internal sealed class HistoryChangedException(string what) : Exception($"the migration history changed before {what} ran: another runner got there first");
