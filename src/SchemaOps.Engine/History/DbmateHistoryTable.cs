using Npgsql;
using SchemaOps.Engine.Connections;
using NpgsqlTypes;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.History;

/// <summary>
/// dbmate's history: schema_migrations(version varchar primary key), one row per applied version. Apply
/// inserts the version, undo deletes it, exactly as dbmate does, so `dbmate status` and `dbmate rollback`
/// keep working. There are no checksums, no failed state and no ranks.
/// </summary>
public sealed class DbmateHistoryTable(NpgsqlConnection connection, HistoryTableName name, IReadOnlyList<MigrationScript> scripts)
    : HistoryStore(connection, name)
{
    public override MigrationLayout Layout => MigrationLayout.Dbmate;
    public override bool RecordsFailures => false;

    internal static List<string> ShapeProblems(Dictionary<string, string> columns) =>
        columns.ContainsKey("dirty") ? ["it has golang-migrate's dirty column"] : Differences(columns, ("version", ["varchar", "text"]));

    protected override List<string> ShapeProblemsOf(Dictionary<string, string> columns) => ShapeProblems(columns);

    // dbmate 2.x's own DDL.
    public override Task CreateAsync(CancellationToken ct) =>
        Connection.ExecuteAsync($"CREATE TABLE IF NOT EXISTS {Name.Quoted} (version varchar(128) PRIMARY KEY)", ct);

    public override async Task<List<AppliedMigration>> ReadAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT version FROM {Name.Quoted}", Connection);
        var versions = new List<(string, bool)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) versions.Add((r.GetString(0), true));
        return RowsFromVersions(versions, scripts);
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
        yield return change is null
            ? new NpgsqlBatchCommand(NoRankResult(row))
            : new NpgsqlBatchCommand($"WITH changed AS ({change}) {NoRankResult(row)}")
                { Parameters = { new() { Value = row.Version!, NpgsqlDbType = NpgsqlDbType.Varchar } } };
    }

    // The row of version $1 however its digits are padded (001 is 1), as SchemaOps compares versions.
    private const string SameVersion = "ltrim(version, '0') = ltrim($1, '0')";

    public override async Task RepairAsync(RepairChange change, IReadOnlyList<AppliedMigration> rows, string? installedBy, CancellationToken ct)
    {
        // Only a missing version can need repair here (no checksums, no failures): forget it, as Flyway's DELETE row does.
        if (change.Action != RepairAction.MarkedDeleted) return;
        await using var cmd = new NpgsqlCommand($"DELETE FROM {Name.Quoted} WHERE {SameVersion}", Connection) { Parameters = { new() { Value = change.Version! } } };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
