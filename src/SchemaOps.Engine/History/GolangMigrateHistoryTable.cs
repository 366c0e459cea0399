using Npgsql;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.History;

/// <summary>
/// golang-migrate's history: schema_migrations(version bigint, dirty boolean) holding one row, the current
/// version. Every version up to it counts as applied. A migration that fails part-way leaves its version
/// dirty, and nothing runs until that is resolved (golang-migrate's `force`; here, repair). Undo sets the
/// version to the previous local migration's, or empties the table below the first, as golang-migrate does.
/// </summary>
public sealed class GolangMigrateHistoryTable(NpgsqlConnection connection, HistoryTableName name, IReadOnlyList<MigrationScript> scripts)
    : VersionOnlyHistoryStore(connection, name, scripts)
{
    public override MigrationLayout Layout => MigrationLayout.GolangMigrate;
    public override bool RecordsFailures => true;

    internal static List<string> ShapeProblems(Dictionary<string, string> columns) => Differences(columns, ("version", ["int8"]), ("dirty", ["bool"]));

    protected override List<string> ShapeProblemsOf(Dictionary<string, string> columns) => ShapeProblems(columns);

    // golang-migrate's own DDL for PostgreSQL.
    protected override string ToolTableDdl => $"CREATE TABLE IF NOT EXISTS {Name.Quoted} (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)";

    public override async Task<List<AppliedMigration>> ReadAsync(CancellationToken ct)
    {
        MigrationVersion current;
        bool dirty;
        var cmd = new NpgsqlCommand($"SELECT version, dirty FROM {Name.Quoted} LIMIT 1", Connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
        {
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) return [];
            (current, dirty) = (MigrationVersion.Parse(r.GetInt64(0).ToString()), r.GetBoolean(1));
        }
        var applied = Scripts.Where(s => s.Kind == MigrationKind.Versioned && s.Version! <= current).Select(s => s.Version!.Text).ToList();
        if (!applied.Any(v => MigrationVersion.Parse(v) == current)) applied.Add(current.Text);
        return await RowsAsync(applied.Select(v => (v, !dirty || MigrationVersion.Parse(v) != current)), ct).ConfigureAwait(false);
    }

    public override IEnumerable<NpgsqlBatchCommand> RecordCommands(HistoryRow row)
    {
        if (row.Type is not (HistoryTypes.Sql or HistoryTypes.UndoSql or HistoryTypes.Baseline))
            throw new InvalidOperationException($"golang-migrate's table cannot hold a {row.Type} row");
        // Applied (or a baseline, golang-migrate's `force`): the version, clean. Undone: the previous local
        // version, clean (none below the first). Failed: the version, dirty.
        var (version, dirty) = !row.Success ? (row.Version, true)
            : row.Type == HistoryTypes.UndoSql ? (Previous(row.Version!), false)
            : (row.Version, false);
        yield return ChecksumCommand(row, row.Version);
        yield return new NpgsqlBatchCommand($"DELETE FROM {Name.Quoted}");
        yield return version is null
            ? new NpgsqlBatchCommand(NoRankResult(row))
            : new NpgsqlBatchCommand($"WITH changed AS (INSERT INTO {Name.Quoted} (version, dirty) VALUES ($1, $2)) {NoRankResult(row)}")
                { Parameters = { new() { Value = ToBigint(version) }, new() { Value = dirty } } };
    }

    public override string StateSql => $"SELECT coalesce(string_agg(version::text || ':' || dirty::text, ','), '') FROM {Name.Quoted}";

    /// <summary>
    /// golang-migrate's key: CRC-32 of "schema\0table\0database" times its salt, in 32 bits. Taking the same
    /// lock means a `migrate up` started meanwhile waits for SchemaOps, and the other way round.
    /// </summary>
    public override long LockKey(string database) =>
        unchecked(FlywayChecksum.Crc32(System.Text.Encoding.UTF8.GetBytes($"{Name.Schema}\0{Name.Table}\0{database}")) * 1486364155u);

    /// <summary>golang-migrate marks the version dirty before running it, so a crash midway is visible; so do we, outside a transaction.</summary>
    public override IEnumerable<NpgsqlBatchCommand> MarkRunningCommands(HistoryRow row) => RecordCommands(row with { Success = false });

    public override async Task RepairAsync(RepairChange change, IReadOnlyList<AppliedMigration> rows, string? installedBy, CancellationToken ct)
    {
        // A dirty version (failed) or a current version whose file is gone (missing): go back to the
        // previous local version, clean; like `migrate force <previous>` after fixing the database by hand.
        // A changed checksum is realigned in SchemaOps' checksum table.
        if (change.Action == RepairAction.AlignedChecksum) await AlignChecksumAsync(change, ct).ConfigureAwait(false);
        if (change.Action is not (RepairAction.RemovedFailedRow or RepairAction.MarkedDeleted)) return;
        await RecordAsync(new HistoryRow(change.Version?.Text, change.Description, HistoryTypes.UndoSql, change.Script, null, installedBy, 0, true), ct).ConfigureAwait(false);
    }

    private string? Previous(string version)
    {
        var v = MigrationVersion.Parse(version);
        return Scripts.Where(s => s.Kind == MigrationKind.Versioned && s.Version! < v).Select(s => s.Version!).DefaultIfEmpty().Max()?.Text;
    }

    private long ToBigint(string version) => long.TryParse(version, out var n) && n >= 0 ? n
        : throw Errors.Input(ErrorCatalog.InvalidGolangMigrateVersion, $"version {version} does not fit golang-migrate's bigint version column", Name.ToString(), version: version);
}
