using System.Text;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Execution;

/// <summary>
/// Writes what a migrate would send, in order, as a psql script: the setup (schemas, history table, its
/// rows), then each migration with its transaction boundaries, lock settings and history change. Run by
/// `psql -v ON_ERROR_STOP=1 -f` on the same database state, it makes the same schema and history rows
/// (times and installed_on aside). What it cannot express: the retries after a lock timeout.
/// </summary>
internal sealed class DryRunScript(HistoryStore history, string? installedBy, LockSafety safety)
{
    private readonly StringBuilder _sql = new();
    private string? _searchPath; // the plan's session setting (Header): made again after a script resets the session

    /// <summary>beforeEachMigrate / afterEachMigrate callbacks, written into every migration.</summary>
    public IReadOnlyList<PreparedScript> BeforeEach { get; init; } = [];
    public IReadOnlyList<PreparedScript> AfterEach { get; init; } = [];

    /// <summary>A callback on its own (beforeMigrate, afterMigrate; beforeEachMigrate before a migration outside a transaction, which resets after it).</summary>
    public void Callback(PreparedScript callback) => Callback(callback, resetAfter: true);

    private void Callback(PreparedScript callback, bool resetAfter)
    {
        if (callback.InTransaction) _sql.AppendLine("BEGIN;");
        Each([callback]);
        if (resetAfter) ResetAfter([callback], inTransaction: false);
        if (callback.InTransaction) _sql.AppendLine("COMMIT;");
        _sql.AppendLine();
    }

    private void Each(IReadOnlyList<PreparedScript> callbacks)
    {
        foreach (var callback in callbacks)
        {
            _sql.AppendLine($"-- callback {callback.Script.Description}: {callback.Script.DisplayPath}");
            foreach (var s in callback.Statements) Statement(s);
        }
    }

    public void Header(string target, int migrations, string? searchPath, bool initSql = false)
    {
        _sql.AppendLine($"-- SchemaOps dry run of migrate for {target}: {migrations} migration{(migrations == 1 ? "" : "s")}, history in {history.Name} ({Sources.MigrationLayouts.Name(history.Layout)}).");
        _sql.AppendLine("-- Nothing was changed. Run with: psql -v ON_ERROR_STOP=1 -f <this file>");
        if (safety.LimitsLocks)
            _sql.AppendLine($"-- On a lock timeout ({LockSafety.Describe(safety.LockTimeout)}) SchemaOps rolls back and retries; psql stops instead.");
        if (initSql)
            _sql.AppendLine("-- The initSql setting runs first on SchemaOps' session, and again after each RESET below; it is not written here, as it " +
                            "may hold a secret: run it in the same psql session before this script, and after each RESET ROLE.");
        _sql.AppendLine("\\set ON_ERROR_STOP on");
        if (searchPath is not null) _sql.AppendLine($"SET search_path TO {searchPath};");
        _searchPath = searchPath;
        _sql.AppendLine();
    }

    /// <summary>As the runner does (<see cref="PreparedScript.ChangesSession"/>): after a script that changed the session, back as the plan set it.</summary>
    private void ResetAfter(IEnumerable<PreparedScript> ran, bool inTransaction)
    {
        if (!ran.Any(s => s.ChangesSession)) return;
        foreach (var statement in SessionRules.Reset) Statement(statement);
        if (_searchPath is not null) Statement($"SET search_path TO {_searchPath}");
        if (inTransaction) foreach (var setting in safety.TransactionSettings()) Statement(setting);
    }

    public void Setup(IReadOnlyList<string> missingSchemas, bool createHistory, HistoryRow? baseline)
    {
        _sql.AppendLine("-- Setup, in one transaction: the history never exists without its first rows.");
        _sql.AppendLine("BEGIN;");
        foreach (var schema in missingSchemas) Statement($"CREATE SCHEMA {HistoryTableName.Quote(schema)}");
        if (createHistory)
        {
            foreach (var ddl in history.CreateStatements()) Statement(ddl);
            if (missingSchemas.Count > 0) Commands(history.CreatedSchemasCommands(missingSchemas, installedBy));
        }
        if (baseline is not null) Commands(history.RecordCommands(baseline));
        _sql.AppendLine("COMMIT;").AppendLine();
    }

    public void Migration(PreparedScript p)
    {
        _sql.AppendLine($"-- {p.Script.Label}: {p.Script.DisplayPath}{(p.InTransaction ? "" : $", without a transaction ({p.NoTransactionReason})")}");
        if (p.InTransaction)
        {
            _sql.AppendLine("BEGIN;");
            foreach (var setting in safety.TransactionSettings()) Statement(setting);
            Each(BeforeEach);
            foreach (var s in p.Statements) Statement(s);
            Each(AfterEach);
            ResetAfter([.. BeforeEach, p, .. AfterEach], inTransaction: true);
            Commands(history.RecordCommands(ScriptExecutor.RowFor(p, installedBy, null, success: true)));
            _sql.AppendLine("COMMIT;");
        }
        else
        {
            foreach (var callback in BeforeEach) Callback(callback, resetAfter: false);
            Commands(history.MarkRunningCommands(ScriptExecutor.RowFor(p, installedBy, 0, success: false)));
            var (set, reset) = safety.OutsideTransactionSettings();
            foreach (var setting in set) Statement(setting);
            foreach (var s in p.Statements) Statement(s);
            foreach (var setting in reset) Statement(setting);
            ResetAfter([.. BeforeEach, p], inTransaction: false);
            Commands(history.RecordCommands(ScriptExecutor.RowFor(p, installedBy, null, success: true)));
            foreach (var callback in AfterEach) Callback(callback);
        }
        _sql.AppendLine();
    }

    /// <summary>All the migrations in one transaction (-Group), each marking its start so its time is its own.</summary>
    public void Group(IReadOnlyList<PreparedScript> scripts)
    {
        _sql.AppendLine($"-- {scripts.Count} migrations in one transaction: all or none");
        _sql.AppendLine("BEGIN;");
        foreach (var setting in safety.TransactionSettings()) Statement(setting);
        foreach (var p in scripts)
        {
            _sql.AppendLine($"-- {p.Script.Label}: {p.Script.DisplayPath}");
            Statement($"SELECT set_config('{HistoryStore.MigrationStartSetting}', clock_timestamp()::text, true)");
            Each(BeforeEach);
            foreach (var s in p.Statements) Statement(s);
            Each(AfterEach);
            ResetAfter([.. BeforeEach, p, .. AfterEach], inTransaction: true);
            Commands(history.RecordCommands(ScriptExecutor.RowFor(p, installedBy, null, success: true)));
        }
        _sql.AppendLine("COMMIT;").AppendLine();
    }

    /// <summary>Writes the script to <paramref name="path"/> whole or not at all, owner-only.</summary>
    public void Save(string path) => AtomicFile.Write(path, new UTF8Encoding(false).GetBytes(_sql.ToString()), ErrorCatalog.DryRunWriteFailed, "the dry-run script");

    private void Statement(string sql) => _sql.Append(sql.TrimEnd()).AppendLine(";");

    /// <summary>A script's statement; a COPY ... FROM STDIN with its data and the \. line, as psql reads it.</summary>
    private void Statement(SqlStatement s)
    {
        Statement(s.Text);
        if (s.CopyData is { } data) _sql.Append(data).AppendLine("\\.");
    }

    private void Commands(IEnumerable<Npgsql.NpgsqlBatchCommand> commands)
    {
        foreach (var c in commands) Statement(SqlLiteral.Inline(c));
    }
}
