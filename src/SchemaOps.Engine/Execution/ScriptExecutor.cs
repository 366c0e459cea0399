using System.Diagnostics;
using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Execution;

/// <summary>
/// Runs one migration and records it. Transactional scripts send all their statements in one batch and
/// insert the history row in the same transaction: both commit or neither does, whatever happens to the
/// process or the connection. Scripts that cannot run in a transaction run statement by statement; if one
/// fails, the history records it where its layout can (Flyway: a success=false row; golang-migrate: dirty),
/// since part of it may have been applied.
/// </summary>
public sealed class ScriptExecutor(NpgsqlConnection connection, HistoryStore history, string? installedBy, LockSafety safety, IOperationSink sink)
{
    internal LockWatch? Watch { get; init; }

    /// <summary>Checks, inside each transaction, that nobody changed the history since the plan (see <see cref="HistoryGuard"/>).</summary>
    internal HistoryGuard? Guard { get; init; }

    /// <summary>The search path each transaction sets for itself (<see cref="Operations.MigrationSession.SearchPath"/>); null: the session's.</summary>
    internal string? SearchPath { get; init; }

    /// <summary>The session settings the session made when it opened (<see cref="Operations.MigrationSession.SessionSettings"/>).</summary>
    internal IReadOnlyList<string> SessionSettings { get; init; } = [];

    /// <summary>
    /// Puts the session back as SchemaOps opened it, after a script that changed it (<see cref="PreparedScript.ChangesSession"/>):
    /// pg_dump's baseline empties the search path, so the next migration had no schema to create in, and behind a
    /// pooler the application's next transaction on that server process would have inherited it. Flyway likewise
    /// resets the role and search path before each migration. Inside a transaction it persists at COMMIT.
    /// </summary>
    private IEnumerable<string> SessionReset => [.. SessionRules.Reset, .. SessionSettings];

    /// <summary>beforeEachMigrate / afterEachMigrate callbacks: run inside each migration's transaction.</summary>
    internal IReadOnlyList<PreparedScript> BeforeEach { get; init; } = [];
    internal IReadOnlyList<PreparedScript> AfterEach { get; init; } = [];

    // Whether a beforeEach/afterEach callback changes the session: asked for every migration, known once.
    private bool EachCallbackChangesSession => _eachCallbackChangesSession ??= BeforeEach.Concat(AfterEach).Any(c => c.ChangesSession);
    private bool? _eachCallbackChangesSession;

    /// <summary>Runs a callback script on its own: in a transaction when it can run in one (no history change, no retry).</summary>
    public async Task RunCallbackAsync(PreparedScript callback, CancellationToken ct)
    {
        using var relay = ServerMessages.Relay(connection, callback.Script.Label, sink);
        await RunCallbackAsync(callback, resetAfter: true, ct).ConfigureAwait(false);
    }

    /// <param name="resetAfter">False for a beforeEachMigrate callback outside a transaction: what it sets (a role) is for the migration after it, which resets.</param>
    private async Task RunCallbackAsync(PreparedScript callback, bool resetAfter, CancellationToken ct)
    {
        if (callback.InTransaction)
            await RunTransactionAsync([callback], record: false, ct, resetSession: resetAfter).ConfigureAwait(false);
        else
        {
            foreach (var s in callback.Statements) await RunOneAsync(callback, s, ct).ConfigureAwait(false);
            if (resetAfter && callback.ChangesSession) await ResetSessionAsync(ct).ConfigureAwait(false);
        }
    }

    private Task ResetSessionAsync(CancellationToken ct) => connection.ExecuteAsync(string.Join("; ", SessionReset), ct);

    private async Task RunOneAsync(PreparedScript script, SqlStatement statement, CancellationToken ct)
    {
        try
        {
            if (statement.CopyData is not null)
            {
                await CopyAsync(statement, ct).ConfigureAwait(false);
                return;
            }
            var cmd = new NpgsqlCommand(statement.Text, connection);
            await using var cmdScope = cmd.ConfigureAwait(false);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            throw Failure(script, statement, e);
        }
    }

    /// <summary>Runs and records the script; returns its history rank (null where the table has none) and its time.</summary>
    public async Task<(int? Rank, int ElapsedMs)> ApplyAsync(PreparedScript p, CancellationToken ct)
    {
        using var relay = ServerMessages.Relay(connection, p.Script.Label, sink);
        return p.InTransaction ? (await ApplyInTransactionAsync([p], ct).ConfigureAwait(false))[0] : await ApplyStatementByStatementAsync(p, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the scripts and their history changes in ONE transaction: all of them or none. Every script must be
    /// able to run in a transaction (the caller checks, to name the offending file before anything runs).
    /// </summary>
    public async Task<List<(int? Rank, int ElapsedMs)>> ApplyGroupAsync(IReadOnlyList<PreparedScript> scripts, CancellationToken ct)
    {
        using var relay = ServerMessages.Relay(connection, $"the group of {scripts.Count} migrations", sink);
        return await ApplyInTransactionAsync(scripts, ct).ConfigureAwait(false);
    }

    /// <summary>One transaction, retried whole after a lock timeout, a deadlock or a serialization failure on the schedule of <see cref="LockSafety"/>.</summary>
    private async Task<List<(int? Rank, int ElapsedMs)>> ApplyInTransactionAsync(IReadOnlyList<PreparedScript> scripts, CancellationToken ct)
    {
        var what = scripts.Count == 1 ? scripts[0].Script.Label : $"the group of {scripts.Count} migrations";
        await RefuseInvalidIndexesAsync(scripts, ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = await RunTransactionAsync(scripts, record: true, ct).ConfigureAwait(false);
                if (attempt > 1) sink.WriteProgress(new ProgressRecordInfo(LockProgressId, $"Waiting for a lock for {what}", "got it", 100, Completed: true));
                return applied;
            }
            catch (SchemaOpsException e) when (e.Kind == ErrorCatalog.MigrationLockTimeout)
            {
                // Rolled back whole: nothing of it stays, so trying again is safe. Queries queued behind our
                // lock request ran meanwhile; that is the point.
                var blockers = Watch?.LastBlockers is { } b ? $"blocked by {b}" : "the blocking session was not seen";
                if (attempt >= safety.Attempts)
                    throw new SchemaOpsException(ErrorCatalog.MigrationLockTimeout,
                        $"{e.Message}; gave up after {attempt} attempt{(attempt == 1 ? "" : "s")} of {LockSafety.Describe(safety.LockTimeout)} each, {blockers}. " +
                        $"Nothing of {what} was applied. Retry when the blocking session is done, or raise -LockTimeout / --lock-timeout or -LockRetryCount / --lock-retries.",
                        e.File, e.Line, e.Version, e.InnerException);
                var pause = LockSafety.PauseBefore(attempt + 1);
                sink.WriteVerbose($"{e.File}: no lock within {LockSafety.Describe(safety.LockTimeout)} ({blockers}); rolled back {what}, attempt {attempt + 1} of {safety.Attempts} in {LockSafety.Describe(pause)}");
                sink.WriteProgress(new ProgressRecordInfo(LockProgressId, $"Waiting for a lock for {what}",
                    $"attempt {attempt + 1} of {safety.Attempts} in {LockSafety.Describe(pause)}", 100 * attempt / safety.Attempts));
                await Task.Delay(pause, ct).ConfigureAwait(false);
            }
            catch (SchemaOpsException e) when (e.InnerException is PostgresException { SqlState: "40P01" or "40001" } conflict && attempt < safety.Attempts)
            {
                // Chosen as the victim of a deadlock with the application's transactions (the migration waits for a lock
                // longer than deadlock_timeout, so it is often the one the server aborts), or a serialization failure under
                // a serializable default: rolled back whole, so run again on the lock-timeout schedule, as PostgreSQL advises.
                var pause = LockSafety.PauseBefore(attempt + 1);
                sink.WriteVerbose($"{e.File}: {conflict.SqlState} {conflict.MessageText}; rolled back {what}, attempt {attempt + 1} of {safety.Attempts} in {LockSafety.Describe(pause)}");
                await Task.Delay(pause, ct).ConfigureAwait(false);
            }
        }
    }

    private const int LockProgressId = 3;

    /// <summary>
    /// BEGIN, the lock settings, each script's statements and history change, and COMMIT go in one batch: one
    /// round trip. If any command fails the server skips the rest, COMMIT included, and we roll back. Without
    /// <paramref name="record"/> (callbacks) the scripts run bare: no lock settings, no each-migration callbacks, no history change.
    /// </summary>
    private async Task<List<(int?, int)>> RunTransactionAsync(IReadOnlyList<PreparedScript> scripts, bool record, CancellationToken ct, bool resetSession = true)
    {
        // Each step is a command for the batch, or (Command null) a COPY ... FROM STDIN, which goes through
        // Npgsql's COPY API with its data between two batches. Owner: which script (a migration or a callback)
        // and statement the step belongs to; a null statement is that migration's history change, a null script
        // one of ours (BEGIN, settings, COMMIT).
        var steps = new List<(NpgsqlBatchCommand? Command, PreparedScript? Script, SqlStatement? Statement)>();
        void Add(NpgsqlBatchCommand c, PreparedScript? script = null) => steps.Add((c, script, null));
        void AddScript(PreparedScript script)
        {
            foreach (var statement in script.Statements)
                steps.Add((statement.CopyData is null ? new NpgsqlBatchCommand(statement.Text) : null, script, statement));
        }
        if (record && Guard is { MayPrepare: true, IsPrepared: false, Expected: not null })
            await Guard.PrepareAsync(connection, history.RecordCommands(RowFor(scripts[0], installedBy, null, success: true)), ct).ConfigureAwait(false);
        void AddTransactionSettings()
        {
            if (SearchPath is not null) Add(new($"SET LOCAL search_path TO {SearchPath}"));
            if (record) foreach (var setting in safety.TransactionSettings()) Add(new(setting));
            if (record && Watch?.TransactionName is { } name) Add(new($"SET LOCAL application_name = {Sql.SqlLiteral.Of(name)}"));
        }
        // After a script that changed the session: back as opened (RESET ALL also drops this transaction's own settings).
        void AddSessionReset(bool changed)
        {
            if (!changed) return;
            foreach (var statement in SessionReset) Add(new(statement));
            AddTransactionSettings();
        }
        Add(new("BEGIN"));
        AddTransactionSettings();
        var checkAt = -1;
        if (record && Guard is not null)
        {
            Add(new(Guard.LockSql));
            if (Guard.CheckSql is { } check)
            {
                checkAt = steps.Count;
                Add(new(check));
            }
        }
        foreach (var script in scripts)
        {
            if (!record)
            {
                AddScript(script);
                AddSessionReset(resetSession && script.ChangesSession);
                continue;
            }
            // In a group each migration's time is its own, not the transaction's so far.
            if (scripts.Count > 1) Add(new($"SELECT set_config('{HistoryStore.MigrationStartSetting}', clock_timestamp()::text, true)"));
            foreach (var callback in BeforeEach) AddScript(callback);
            AddScript(script);
            foreach (var callback in AfterEach) AddScript(callback);
            AddSessionReset(script.ChangesSession || EachCallbackChangesSession);
            foreach (var c in history.RecordCommands(RowFor(script, installedBy, null, success: true))) Add(Guard?.Use(c) ?? c, script);
        }
        if (record && Guard is not null && history.StateAfterRecord(0) is null) Add(new(Guard.ObserveSql)); // the record does not tell the new state
        Add(new("COMMIT"));
        var failed = -1; // the step that failed, when one did
        try
        {
            var results = new BatchResults();
            // Without COPY (nearly always) this is one batch: one round trip.
            for (var start = 0; start < steps.Count;)
            {
                if (steps[start].Command is null)
                {
                    failed = start;
                    await CopyAsync(steps[start].Statement!, ct).ConfigureAwait(false);
                    failed = -1;
                    start++;
                    continue;
                }
                var end = steps.FindIndex(start, x => x.Command is null) is var copyAt and >= 0 ? copyAt : steps.Count;
                var batch = new NpgsqlBatch(connection);
                await using var batchScope = batch.ConfigureAwait(false);
                for (var k = start; k < end; k++) batch.BatchCommands.Add(steps[k].Command!);
                try
                {
                    await results.ReadAsync(batch, ct).ConfigureAwait(false);
                }
                catch (PostgresException)
                {
                    failed = FirstFailed(batch) is var f and >= 0 ? start + f : -1;
                    throw;
                }
                start = end;
            }
            // Committed: our change is the state to expect now.
            if (record && Guard is not null) Guard.Expected = results.Observed ?? history.StateAfterRecord(results.Recorded.LastOrDefault().Item1) ?? Guard.Expected;
            return results.Recorded;
        }
        catch (PostgresException e) when (e.SqlState == "26000" && failed >= 0 && steps[failed].Statement is null && Guard is { IsPrepared: true })
        {
            // Our prepared statements are gone (a script's DEALLOCATE ALL, a pooler not recognised): the transaction is
            // rolled back whole; plan again, with plain statements from now on.
            await RollbackQuietlyAsync().ConfigureAwait(false);
            Guard.Unprepare();
            throw new HistoryChangedException(scripts.Count == 1 ? scripts[0].Script.Label : $"the group of {scripts.Count} migrations");
        }
        catch (PostgresException) when (checkAt >= 0 && failed == checkAt)
        {
            // The guard's check failed: someone changed the history since the plan. Nothing of ours ran.
            await RollbackQuietlyAsync().ConfigureAwait(false);
            throw new HistoryChangedException(scripts.Count == 1 ? scripts[0].Script.Label : $"the group of {scripts.Count} migrations");
        }
        catch (PostgresException e) when (e.SqlState == "55P03" && failed >= 0 && steps[failed].Script is null)
        {
            // Our own guard lock waited past lock_timeout: another runner is inside its migration's transaction.
            await RollbackQuietlyAsync().ConfigureAwait(false);
            var p = scripts[0];
            throw new SchemaOpsException(ErrorCatalog.MigrationLockTimeout,
                $"{p.Script.DisplayPath}: another runner's migration transaction held the history: lock timeout", p.Script.DisplayPath, version: p.Script.Version?.Text, inner: e);
        }
        catch (PostgresException e)
        {
            await RollbackQuietlyAsync().ConfigureAwait(false);
            var (script, statement) = failed >= 0 ? (steps[failed].Script, steps[failed].Statement) : (null, null);
            var group = scripts.Count > 1 ? $"; the whole group of {scripts.Count} migrations was rolled back" : "";
            if (script is not null && statement is not null) throw Failure(script, statement, e, group);
            var p = script ?? scripts[0];
            throw new SchemaOpsException(ErrorCatalog.HistoryWriteFailed,
                $"{p.Script.DisplayPath}: recording it in {history.Name} failed, so it was rolled back{group}: {e.SqlState}: {e.MessageText}",
                p.Script.DisplayPath, version: p.Script.Version?.Text, inner: e);
        }
        catch (OperationCanceledException e)
        {
            await RollbackQuietlyAsync().ConfigureAwait(false);
            var p = scripts[0];
            var what = scripts.Count == 1 ? p.Script.DisplayPath : $"the group of {scripts.Count} migrations from {p.Script.DisplayPath}";
            throw new SchemaOpsException(ErrorCatalog.OperationCanceled,
                $"{what}: canceled; its transaction was rolled back, nothing of it applied or recorded", p.Script.DisplayPath, version: p.Script.Version?.Text, inner: e);
        }
        catch
        {
            await RollbackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What a transaction's batches return: each history change's (installed_rank, execution_time) row, and the guard's observed state.</summary>
    private sealed class BatchResults
    {
        public List<(int?, int)> Recorded { get; } = [];
        public string? Observed { get; private set; }

        public async Task ReadAsync(NpgsqlBatch batch, CancellationToken ct)
        {
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            // Statements may return rows too; each history change ends with one (installed_rank, execution_time) row.
            do
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    if (reader.FieldCount == 2 && reader.GetName(0) == "installed_rank" && reader.GetName(1) == "execution_time")
                        Recorded.Add((reader.IsDBNull(0) ? null : reader.GetInt32(0), reader.GetInt32(1)));
                    else if (reader.FieldCount == 1 && reader.GetName(0) == HistoryGuard.ObservedColumn)
                        Observed = reader.IsDBNull(0) ? "" : reader.GetString(0);
            } while (await reader.NextResultAsync(ct).ConfigureAwait(false));
        }
    }

    /// <summary>A COPY ... FROM STDIN with the data that followed it in the script, as psql sends it.</summary>
    private async Task CopyAsync(SqlStatement statement, CancellationToken ct)
    {
        var writer = await connection.BeginTextImportAsync(statement.Text, ct).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(statement.CopyData.AsMemory(), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (writer is NpgsqlCopyTextWriter copy)
        {
            // Ending the writer would send what was written so far as the whole data: cancel the COPY instead.
            await copy.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every command that completed has its StatementType set from the server's reply; the first one still Unknown failed (-1: none).</summary>
    private static int FirstFailed(NpgsqlBatch batch) => batch.BatchCommands.Cast<NpgsqlBatchCommand>().ToList().FindIndex(c => c.StatementType == StatementType.Unknown);

    private async Task<(int?, int)> ApplyStatementByStatementAsync(PreparedScript p, CancellationToken ct)
    {
        foreach (var callback in BeforeEach) await RunCallbackAsync(callback, resetAfter: false, ct).ConfigureAwait(false);
        var applied = await ApplyAloneAsync(p, ct).ConfigureAwait(false);
        foreach (var callback in AfterEach) await RunCallbackAsync(callback, ct).ConfigureAwait(false);
        return applied;
    }

    private async Task<(int?, int)> ApplyAloneAsync(PreparedScript p, CancellationToken ct)
    {
        await history.MarkRunningAsync(RowFor(p, installedBy, 0, success: false), ct).ConfigureAwait(false);
        var (set, reset) = safety.OutsideTransactionSettings();
        await connection.ExecuteAsync(string.Join("; ", set), ct).ConfigureAwait(false);
        try
        {
            return await RunStatementsAsync(p, ct).ConfigureAwait(false);
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
                await connection.ExecuteAsync(string.Join("; ", reset), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<(int?, int)> RunStatementsAsync(PreparedScript p, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        foreach (var s in p.Statements)
        {
            var index = InvalidIndexes.Read(s, p.Script.Text);
            try
            {
                if (index is { IfNotExists: true }) await RefuseInvalidIndexAsync(p, s, index, ct).ConfigureAwait(false);
                await RunOneAsync(p, s, ct).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is SchemaOpsException or OperationCanceledException or NpgsqlException)
            {
                try
                {
                    await history.RecordAsync(RowFor(p, installedBy, (int)watch.ElapsedMilliseconds, success: false), CancellationToken.None).ConfigureAwait(false);
                    // A concurrent index build that failed or was stopped leaves its index behind, INVALID: say so, or the
                    // next run's IF NOT EXISTS finds it in the way.
                    var leftover = index is { Concurrently: true } && (failure as SchemaOpsException)?.Kind != ErrorCatalog.InvalidIndexInTheWay
                        ? await InvalidIndexes.OnTableAsync(connection, index, CancellationToken.None).ConfigureAwait(false) : [];
                    var left = leftover.Count == 0 ? ""
                        : $" It left the INVALID index {string.Join(", ", leftover)} behind, which enforces nothing and that IF NOT EXISTS would pass over: " +
                          $"{InvalidIndexes.DropAdvice(leftover)} before running it again.";
                    if (failure is OperationCanceledException)
                        // Not "rolled back": outside a transaction, what ran before this statement stays.
                        throw new SchemaOpsException(ErrorCatalog.MigrationInterrupted,
                            $"{p.Script.DisplayPath}:{s.Line}: canceled while this migration ran outside a transaction: the statements before line {s.Line} " +
                            $"stay applied, and {(history.RecordsFailures ? $"{history.Name} records it as failed" : $"{history.Name} cannot record the failure")}. " +
                            "Inspect the database, finish or undo those statements by hand, then repair before migrating again." + left,
                            p.Script.DisplayPath, s.Line, p.Script.Version?.Text, failure);
                    if (left.Length > 0 && failure is SchemaOpsException failed)
                        throw new SchemaOpsException(failed.Kind, failed.Message + left, failed.File, failed.Line, failed.Version, failed.InnerException, failed.Target);
                }
                catch (Exception) when (connection.State != System.Data.ConnectionState.Open)
                {
                    // The connection is gone: nothing more can be recorded. The next run sees no row for this
                    // version and the objects it may have created; the error says so.
                    throw new SchemaOpsException(ErrorCatalog.MigrationFailedUnrecorded,
                        $"{p.Script.DisplayPath}:{s.Line}: the connection was lost while running this non-transactional migration; " +
                        "statements before this line may have been applied and the failure could not be recorded. Inspect the database before re-running.",
                        p.Script.DisplayPath, s.Line, p.Script.Version?.Text, failure);
                }
                throw;
            }
        }
        var elapsed = (int)watch.ElapsedMilliseconds;
        if (p.ChangesSession || BeforeEach.Any(c => c.ChangesSession)) await ResetSessionAsync(ct).ConfigureAwait(false);
        return (await history.RecordAsync(RowFor(p, installedBy, elapsed, success: true), CancellationToken.None).ConfigureAwait(false), elapsed);
    }

    /// <summary>
    /// Stops before a CREATE INDEX ... IF NOT EXISTS whose index stands there INVALID (an earlier concurrent build failed):
    /// the server would pass over it with a notice, and the migration would be recorded as applied without its index.
    /// </summary>
    private async Task RefuseInvalidIndexAsync(PreparedScript p, SqlStatement statement, InvalidIndexes.IndexCreation index, CancellationToken ct)
    {
        var invalid = await InvalidIndexes.OnTableAsync(connection, index, ct).ConfigureAwait(false);
        if (invalid.Count == 0) return;
        throw new SchemaOpsException(ErrorCatalog.InvalidIndexInTheWay,
            $"{p.Script.DisplayPath}:{statement.Line}: the index {invalid[0]} exists but is INVALID (left by a CREATE INDEX CONCURRENTLY that failed or was " +
            "canceled): it enforces nothing and no query uses it, and IF NOT EXISTS would pass over it, so this migration would be recorded as applied " +
            $"without a working index. Stopped before this line ({(p.InTransaction ? "nothing of it ran, nothing recorded" : WhatHappened(p))}): " +
            $"{InvalidIndexes.DropAdvice(invalid)}, then {(!p.InTransaction && history.RecordsFailures ? "repair and " : "")}migrate again",
            p.Script.DisplayPath, statement.Line, p.Script.Version?.Text);
    }

    /// <summary>
    /// The same stop for migrations run in a transaction, before it begins (the batch cannot be paused at a statement):
    /// an index build changed from CONCURRENTLY to a plain one after the concurrent one failed meets its leftover too.
    /// Once anything is dropped on the way there, the leftover may be gone by then: that statement decides for itself.
    /// </summary>
    private async Task RefuseInvalidIndexesAsync(IReadOnlyList<PreparedScript> scripts, CancellationToken ct)
    {
        foreach (var p in scripts)
            foreach (var s in p.Statements)
            {
                if (s.StartsWith("DROP")) return;
                if (InvalidIndexes.Read(s, p.Script.Text) is { IfNotExists: true } index) await RefuseInvalidIndexAsync(p, s, index, ct).ConfigureAwait(false);
            }
    }

    /// <summary>What became of a migration that failed part-way, as its error says it.</summary>
    private string WhatHappened(PreparedScript p) =>
        p.InTransaction ? "rolled back, nothing recorded"
        : history.RecordsFailures ? "recorded as failed (not in a transaction: earlier statements stay applied)"
        : $"not in a transaction: earlier statements stay applied, and {history.Name} has no way to record a failure";

    /// <summary>The history row of a run of <paramref name="p"/>; a null time is measured by the server.</summary>
    internal static HistoryRow RowFor(PreparedScript p, string? installedBy, int? elapsedMs, bool success) =>
        new(p.Script.Version?.Text, p.Script.Description, p.Script.Kind == MigrationKind.Undo ? HistoryTypes.UndoSql : HistoryTypes.Sql,
            p.Script.Script, p.Script.Checksum, installedBy, elapsedMs, success);

    /// <summary>The server's error, placed at the file and line of the statement (and the position in it) that failed.</summary>
    private SchemaOpsException Failure(PreparedScript p, SqlStatement statement, PostgresException e, string group = "")
    {
        var line = e.Position > 0 ? SqlLexer.LineAt(statement.Text, e.Position - 1, statement.Line) : statement.Line;
        var kind = e.SqlState switch
        {
            "55P03" => ErrorCatalog.MigrationLockTimeout,
            // Our own Ctrl+C surfaces as an OperationCanceledException; a 57014 here is the server's statement_timeout
            // (or a pg_cancel_backend from someone else): a failed migration, not a canceled run.
            "57014" when safety.LimitsStatements => ErrorCatalog.MigrationStatementTimeout,
            "57014" => ErrorCatalog.MigrationCanceledByServer,
            "42501" => ErrorCatalog.MigrationPermissionDenied,
            DatabaseErrors.ReadOnlyState => ErrorCatalog.ReadOnlyServer,
            _ => ErrorCatalog.MigrationFailed,
        };
        var detail = (e.Detail is { Length: > 0 } d ? $" DETAIL: {d}" : "") + (e.Hint is { Length: > 0 } h ? $" HINT: {h}" : "");
        var undone = WhatHappened(p);
        return new SchemaOpsException(kind,
            $"{p.Script.DisplayPath}:{line}: {e.SqlState}: {e.MessageText}.{detail} ({undone}{group})" +
            DatabaseErrors.ReadOnlyHint(e, $"{connection.Host}:{connection.Port}") + (kind == ErrorCatalog.MigrationCanceledByServer ? CanceledByServerHint : ""),
            p.Script.DisplayPath, line, p.Script.Version?.Text, e);
    }

    // Managed platforms and careful DBAs set statement_timeout for the role or the database: the way past it is
    // SchemaOps' own setting, which is set for the migration's statements only.
    private const string CanceledByServerHint =
        ". Stopped by the server: by its statement_timeout (set for this role or database: SHOW statement_timeout) or by an administrator " +
        "(pg_cancel_backend). --statement-timeout 0 (-StatementTimeout 0s, statementTimeout = 0) lifts the server's timeout for migration statements, " +
        "or give a longer duration";

    private async Task RollbackQuietlyAsync()
    {
        if (connection.State != System.Data.ConnectionState.Open) return; // a broken connection rolls back on the server by itself
        try
        {
            var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await using var rollbackScope = rollback.ConfigureAwait(false);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // Same: the server discards the transaction when the connection goes.
        }
    }
}
