using Npgsql;
using NpgsqlTypes;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.History;

/// <summary>
/// dbmate's history: schema_migrations(version varchar primary key), one row per applied version. Apply
/// inserts the version, undo deletes it, exactly as dbmate does, so `dbmate status` and `dbmate rollback`
/// keep working. dbmate has no checksums (SchemaOps keeps them beside: see <see cref="VersionOnlyHistoryStore"/>),
/// no failed state and no ranks.
/// </summary>
public sealed class DbmateHistoryTable(NpgsqlConnection connection, HistoryTableName name, IReadOnlyList<MigrationScript> scripts)
    : VersionOnlyHistoryStore(connection, name, scripts)
{
    public override MigrationLayout Layout => MigrationLayout.Dbmate;
    public override bool RecordsFailures => false;

    internal static List<string> ShapeProblems(Dictionary<string, string> columns) =>
        columns.ContainsKey("dirty") ? ["it has golang-migrate's dirty column"] : Differences(columns, ("version", ["varchar", "text"]));

    protected override List<string> ShapeProblemsOf(Dictionary<string, string> columns) => ShapeProblems(columns);

    // dbmate 2.x's own DDL.
    protected override string ToolTableDdl => $"CREATE TABLE IF NOT EXISTS {Name.Quoted} (version varchar(128) PRIMARY KEY)";

    public override async Task<List<AppliedMigration>> ReadAsync(CancellationToken ct)
    {
        var cmd = new NpgsqlCommand($"SELECT version FROM {Name.Quoted}", Connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var versions = new List<(string, bool)>();
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) versions.Add((r.GetString(0), true));
        return await RowsAsync(versions, ct).ConfigureAwait(false);
    }

    public override IEnumerable<NpgsqlBatchCommand> RecordCommands(HistoryRow row)
    {
        var change = row.Type switch
        {
            HistoryTypes.Sql when row.Success => $"INSERT INTO {Name.Quoted} (version) VALUES ($1)",
            HistoryTypes.UndoSql when row.Success => $"DELETE FROM {Name.Quoted} WHERE {SameVersion}",
            HistoryTypes.Sql or HistoryTypes.UndoSql => null, // dbmate has no failed state: nothing to write
            _ => throw new InvalidOperationException($"dbmate's table cannot hold a {row.Type} row"),
        };
        yield return ChecksumCommand(row, row.Version);
        yield return change is null
            ? new NpgsqlBatchCommand(NoRankResult(row))
            : new NpgsqlBatchCommand($"WITH changed AS ({change}) {NoRankResult(row)}")
                { Parameters = { new() { Value = row.Version!, NpgsqlDbType = NpgsqlDbType.Varchar } } };
    }

    // Applying adds a version, undoing removes one: the count and the highest catch both, out-of-order ones too.
    public override string StateSql => $"SELECT count(*)::text || ':' || coalesce(max(version), '') FROM {Name.Quoted}";

    // The row of version $1 however its digits are padded (001 is 1), as SchemaOps compares versions.
    private const string SameVersion = "ltrim(version, '0') = ltrim($1, '0')";

    public override async Task RepairAsync(RepairChange change, IReadOnlyList<AppliedMigration> rows, string? installedBy, CancellationToken ct)
    {
        // dbmate records no failures, descriptions or types: a missing version is forgotten (Flyway marks it
        // DELETE), a changed checksum is realigned in SchemaOps' checksum table.
        if (change.Action == RepairAction.AlignedChecksum) await AlignChecksumAsync(change, ct).ConfigureAwait(false);
        if (change.Action != RepairAction.MarkedDeleted) return;
        await RecordAsync(new HistoryRow(change.Version?.Text, change.Description, HistoryTypes.UndoSql, change.Script, null, installedBy, 0, true), ct).ConfigureAwait(false);
    }
}
