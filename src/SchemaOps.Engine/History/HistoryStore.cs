using Npgsql;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.History;

/// <summary>
/// A layout's history table: Flyway's rows, dbmate's versions or golang-migrate's single row. Operations
/// read it as Flyway-style rows (the one state model) and write through it, so each tool keeps reading
/// its own table after SchemaOps has worked on the database.
/// </summary>
public abstract class HistoryStore(NpgsqlConnection connection, HistoryTableName name)
{
    protected NpgsqlConnection Connection { get; } = connection;

    public HistoryTableName Name { get; } = name;

    public abstract MigrationLayout Layout { get; }

    /// <summary>Whether a failure outside a transaction leaves a trace (Flyway: success=false row; golang-migrate: dirty).</summary>
    public abstract bool RecordsFailures { get; }

    /// <summary>The default table name of each layout.</summary>
    public static string DefaultTable(MigrationLayout layout) => layout == MigrationLayout.Flyway || layout == MigrationLayout.Auto ? "flyway_schema_history" : "schema_migrations";

    public static HistoryStore For(MigrationLayout layout, NpgsqlConnection connection, HistoryTableName name, IReadOnlyList<MigrationScript> scripts) => layout switch
    {
        MigrationLayout.Dbmate => new DbmateHistoryTable(connection, name, scripts),
        MigrationLayout.GolangMigrate => new GolangMigrateHistoryTable(connection, name, scripts),
        _ => new FlywayHistoryTable(connection, name),
    };

    public Task<bool> ExistsAsync(CancellationToken ct) => ExistsAsync(Connection, Name, ct);

    /// <summary>The advisory lock key that keeps runners apart: the layout's own tool's key, else Flyway's for this table.</summary>
    public virtual long LockKey(string database) => Execution.MigrationLock.KeyFor(Name);

    /// <summary>Whether <see cref="CreateAsync"/> has something to create.</summary>
    public virtual async Task<bool> NeedsSetupAsync(CancellationToken ct) => !await ExistsAsync(ct).ConfigureAwait(false);

    /// <summary>What <see cref="CreateAsync"/> creates, as ShouldProcess asks about it.</summary>
    public virtual string SetupAction => "Create schema history table";

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, HistoryTableName name, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))",
            connection) { Parameters = { new() { Value = name.Schema }, new() { Value = name.Table } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Which layout's history table an existing table looks like, from its columns; Auto when none.</summary>
    public static async Task<MigrationLayout> ShapeOfAsync(NpgsqlConnection connection, HistoryTableName name, CancellationToken ct)
    {
        var columns = await ColumnsAsync(connection, name, ct).ConfigureAwait(false);
        if (FlywayHistoryTable.ShapeProblems(columns).Count == 0) return MigrationLayout.Flyway;
        if (GolangMigrateHistoryTable.ShapeProblems(columns).Count == 0) return MigrationLayout.GolangMigrate;
        if (DbmateHistoryTable.ShapeProblems(columns).Count == 0) return MigrationLayout.Dbmate;
        return MigrationLayout.Auto;
    }

    /// <summary>Refuses a table of this name that is not shaped like this layout's, naming each difference.</summary>
    public async Task CheckShapeAsync(CancellationToken ct)
    {
        var problems = ShapeProblemsOf(await ColumnsAsync(Connection, Name, ct).ConfigureAwait(false));
        if (problems.Count == 0) return;
        var other = await ShapeOfAsync(Connection, Name, ct).ConfigureAwait(false);
        var hint = other != MigrationLayout.Auto
            ? $"It is {MigrationLayouts.Name(other)}'s history table: pass -Layout {other} / --layout {MigrationLayouts.CliName(other)} if the migrations are {MigrationLayouts.Name(other)}'s, or point -Table / --table elsewhere."
            : "Point -Table / --table at the right table, or rename this one.";
        throw new SchemaOpsException(ErrorCatalog.HistoryTableShape,
            $"table {Name} exists but is not a {MigrationLayouts.Name(Layout)} history table ({string.Join("; ", problems)}). {hint}", file: Name.ToString());
    }

    protected abstract List<string> ShapeProblemsOf(Dictionary<string, string> columns);

    /// <summary>The DDL that creates the table(s); executed by <see cref="CreateAsync"/>, written out by dry runs.</summary>
    public abstract IEnumerable<string> CreateStatements();

    public async Task CreateAsync(CancellationToken ct)
    {
        foreach (var sql in CreateStatements())
        {
            var cmd = new NpgsqlCommand(sql, Connection);
            await using var cmdScope = cmd.ConfigureAwait(false);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The applied migrations, in applied order, as Flyway-style rows.</summary>
    public abstract Task<List<AppliedMigration>> ReadAsync(CancellationToken ct);

    /// <summary>
    /// A query of one text value that changes whenever the history does (a row added, removed or rewritten by
    /// anyone): what <see cref="Execution.HistoryGuard"/> compares to tell whether another runner got there first.
    /// </summary>
    public abstract string StateSql { get; }

    /// <summary>
    /// The state <see cref="StateSql"/> would read right after a record of ours returned <paramref name="rank"/>, when
    /// the rank tells it (Flyway's does: no statement needed to learn it); else null.
    /// </summary>
    public virtual string? StateAfterRecord(int? rank) => null;

    /// <summary>
    /// The commands that record <paramref name="row"/> (an applied or undone migration), to share a batch and a
    /// transaction with the migration. The last command returns one row (installed_rank, execution_time);
    /// installed_rank is null where the table has no ranks. A null row.ExecutionTime is measured by the
    /// server: from the transaction's start to this command.
    /// </summary>
    public abstract IEnumerable<NpgsqlBatchCommand> RecordCommands(HistoryRow row);

    /// <summary>Records <paramref name="row"/> on its own; returns the installed rank, if the table has ranks.</summary>
    public Task<int?> RecordAsync(HistoryRow row, CancellationToken ct) => RunAsync(RecordCommands(row), ct);

    /// <summary>Runs history commands as one batch; returns the last installed_rank they report, if any.</summary>
    private async Task<int?> RunAsync(IEnumerable<NpgsqlBatchCommand> commands, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(Connection);
        await using var batchScope = batch.ConfigureAwait(false);
        foreach (var c in commands) batch.BatchCommands.Add(c);
        if (batch.BatchCommands.Count == 0) return null;
        var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        int? rank = null;
        do
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                if (reader.FieldCount > 0 && reader.GetName(0) == "installed_rank") rank = reader.IsDBNull(0) ? null : reader.GetInt32(0);
        } while (await reader.NextResultAsync(ct).ConfigureAwait(false));
        return rank;
    }

    /// <summary>What runs before a migration outside a transaction, so a crash midway leaves a trace where the layout has one.</summary>
    public virtual IEnumerable<NpgsqlBatchCommand> MarkRunningCommands(HistoryRow row) => [];

    public Task MarkRunningAsync(HistoryRow row, CancellationToken ct) => RunAsync(MarkRunningCommands(row), ct);

    /// <summary>Records that the managed schemas were created (Flyway's SCHEMA row; the other layouts keep no such record).</summary>
    public virtual IEnumerable<NpgsqlBatchCommand> CreatedSchemasCommands(IReadOnlyList<string> schemas, string? installedBy) => [];

    public Task RecordCreatedSchemasAsync(IReadOnlyList<string> schemas, string? installedBy, CancellationToken ct) =>
        RunAsync(CreatedSchemasCommands(schemas, installedBy), ct);

    /// <summary>Applies one repair change (planned from the rows <see cref="ReadAsync"/> returned).</summary>
    public abstract Task RepairAsync(RepairChange change, IReadOnlyList<AppliedMigration> rows, string? installedBy, CancellationToken ct);

    /// <summary>The SELECT that ends a record command where the table has no rank: (NULL, the migration's time so far).</summary>
    protected static string NoRankResult(HistoryRow row) =>
        $"SELECT NULL::int AS installed_rank, {(row.ExecutionTime is { } ms ? ms.ToString() : ElapsedSql)} AS execution_time";

    /// <summary>
    /// Milliseconds from the migration's start to this statement (clock_timestamp()). The start is the
    /// transaction's (now()), unless a group of migrations marks each one's start in <see cref="MigrationStartSetting"/>.
    /// </summary>
    protected const string ElapsedSql =
        $"(EXTRACT(EPOCH FROM clock_timestamp() - COALESCE(NULLIF(current_setting('{MigrationStartSetting}', true), '')::timestamptz, now())) * 1000)::int";

    /// <summary>A transaction-local setting holding when the current migration of a group started.</summary>
    public const string MigrationStartSetting = "schemaops.migration_start";

    protected static async Task<Dictionary<string, string>> ColumnsAsync(NpgsqlConnection connection, HistoryTableName name, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(
            "SELECT a.attname, t.typname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid " +
            "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped", connection)
        { Parameters = { new() { Value = name.Quoted } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var columns = new Dictionary<string, string>();
        var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) columns[reader.GetString(0)] = reader.GetString(1);
        return columns;
    }

    /// <summary>The differences between actual columns and expected (name, type) pairs; extra columns are allowed.</summary>
    protected static List<string> Differences(Dictionary<string, string> actual, params (string Name, string[] Types)[] expected) =>
        expected.Where(c => !actual.TryGetValue(c.Name, out var type) || !c.Types.Contains(type))
            .Select(c => actual.TryGetValue(c.Name, out var type) ? $"column {c.Name} is {type}, expected {string.Join(" or ", c.Types)}" : $"column {c.Name} is missing")
            .ToList();
}
