using Npgsql;
using NpgsqlTypes;

namespace SchemaOps.Engine.History;

/// <summary>
/// Flyway's schema history table on PostgreSQL: the same DDL, the same rows. Ranks are computed in the
/// INSERT itself (MAX + 1 inside the caller's transaction, under the migration lock).
/// </summary>
public sealed class FlywayHistoryTable(NpgsqlConnection connection, HistoryTableName name) : HistoryStore(connection, name)
{
    public override MigrationLayout Layout => MigrationLayout.Flyway;
    public override bool RecordsFailures => true;

    internal static List<string> ShapeProblems(Dictionary<string, string> columns) => Differences(columns,
        ("installed_rank", ["int4"]), ("version", ["varchar"]), ("description", ["varchar"]), ("type", ["varchar"]),
        ("script", ["varchar"]), ("checksum", ["int4"]), ("installed_by", ["varchar"]), ("installed_on", ["timestamp"]),
        ("execution_time", ["int4"]), ("success", ["bool"]));

    protected override List<string> ShapeProblemsOf(Dictionary<string, string> columns) => ShapeProblems(columns);

    public override IEnumerable<string> CreateStatements()
    {
        // Flyway's createTable.sql for PostgreSQL, names and all.
        var t = Name.Quoted;
        yield return $"""
            CREATE TABLE {t} (
                "installed_rank" INT NOT NULL,
                "version" VARCHAR(50),
                "description" VARCHAR(200) NOT NULL,
                "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL,
                "checksum" INTEGER,
                "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
                "execution_time" INTEGER NOT NULL,
                "success" BOOLEAN NOT NULL
            )
            """;
        yield return $"ALTER TABLE {t} ADD CONSTRAINT {HistoryTableName.Quote(Name.Table + "_pk")} PRIMARY KEY (\"installed_rank\")";
        yield return $"CREATE INDEX {HistoryTableName.Quote(Name.Table + "_s_idx")} ON {t} (\"success\")";
    }

    public override async Task<List<AppliedMigration>> ReadAsync(CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(
            "SELECT installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success " +
            $"FROM {Name.Quoted} ORDER BY installed_rank", Connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var rows = new List<AppliedMigration>();
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = new AppliedMigration(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetInt32(5), r.GetString(6), r.GetDateTime(7), r.GetInt32(8), r.GetBoolean(9));
            // Not a version Flyway could have written: where it sorts, and so what is pending, would be a guess.
            if (row.VersionText is { } text && row.Version is null)
                throw Errors.Input(ErrorCatalog.InvalidHistoryRow,
                    $"{Name}: the row with installed_rank {row.InstalledRank} has version '{text}', which is not a version (numbers separated by dots): " +
                    "correct or delete that row by hand; nothing was changed", version: text);
            rows.Add(row);
        }
        return rows;
    }

    public override IEnumerable<NpgsqlBatchCommand> RecordCommands(HistoryRow row) => [InsertCommand(row)];

    // Every change adds a row with the next rank (read from the primary key's index: cheap however long the history).
    public override string StateSql => $"SELECT coalesce(max(installed_rank), 0)::text FROM {Name.Quoted}";

    // Our insert took the next rank, under the guard's lock: it is the highest now.
    public override string? StateAfterRecord(int? rank) => rank?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One history row; rank 0 for the SCHEMA row (Flyway's), else MAX + 1 (under the migration lock).</summary>
    private NpgsqlBatchCommand InsertCommand(HistoryRow row, bool schemaRow = false)
    {
        var rank = schemaRow ? "0" : $"(SELECT COALESCE(MAX(installed_rank), 0) + 1 FROM {Name.Quoted})";
        return new NpgsqlBatchCommand(
            $"INSERT INTO {Name.Quoted} (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) " +
            $"VALUES ({rank}, $1, $2, $3, $4, $5, COALESCE($6, current_user), COALESCE($7, {ElapsedSql}), $8) " +
            "RETURNING installed_rank, execution_time")
        {
            Parameters =
            {
                new() { Value = (object?)row.Version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar },
                new() { Value = Truncate(row.Description, 200), NpgsqlDbType = NpgsqlDbType.Varchar },
                new() { Value = row.Type, NpgsqlDbType = NpgsqlDbType.Varchar },
                new() { Value = row.Script, NpgsqlDbType = NpgsqlDbType.Varchar },
                new() { Value = (object?)row.Checksum ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
                new() { Value = (object?)row.InstalledBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar },
                new() { Value = (object?)row.ExecutionTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
                new() { Value = row.Success, NpgsqlDbType = NpgsqlDbType.Boolean },
            },
        };
    }

    public override IEnumerable<NpgsqlBatchCommand> CreatedSchemasCommands(IReadOnlyList<string> schemas, string? installedBy) =>
        [InsertCommand(new HistoryRow(null, "<< Flyway Schema Creation >>", HistoryTypes.Schema, string.Join(",", schemas.Select(HistoryTableName.Quote)), null, installedBy, 0, true), schemaRow: true)];

    public override async Task RepairAsync(RepairChange change, IReadOnlyList<AppliedMigration> rows, string? installedBy, CancellationToken ct)
    {
        var rank = new NpgsqlParameter { Value = change.InstalledRank };
        switch (change.Action)
        {
            case RepairAction.RemovedFailedRow:
                await ExecuteAsync($"DELETE FROM {Name.Quoted} WHERE installed_rank = $1", ct, rank).ConfigureAwait(false);
                break;
            case RepairAction.MarkedDeleted:
                var row = rows.Single(r => r.InstalledRank == change.InstalledRank);
                await RecordAsync(new HistoryRow(row.VersionText, row.Description, HistoryTypes.Delete, row.Script, row.Checksum, installedBy, 0, row.Success), ct).ConfigureAwait(false);
                break;
            case RepairAction.AlignedChecksum:
                await ExecuteAsync($"UPDATE {Name.Quoted} SET checksum = $2 WHERE installed_rank = $1", ct, rank, new NpgsqlParameter { Value = int.Parse(change.After!) }).ConfigureAwait(false);
                break;
            case RepairAction.AlignedDescription:
                await ExecuteAsync($"UPDATE {Name.Quoted} SET description = $2 WHERE installed_rank = $1", ct, rank, new NpgsqlParameter { Value = change.After! }).ConfigureAwait(false);
                break;
            case RepairAction.AlignedType:
                await ExecuteAsync($"UPDATE {Name.Quoted} SET type = $2 WHERE installed_rank = $1", ct, rank, new NpgsqlParameter { Value = change.After! }).ConfigureAwait(false);
                break;
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, Connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddRange(parameters);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    // Flyway: descriptions over 200 characters keep the first 197 and end with "...".
    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 3)] + "...";
}

/// <summary>What a new history row says; rank and installed_on are filled in by the database.</summary>
public sealed record HistoryRow(string? Version, string Description, string Type, string Script, int? Checksum, string? InstalledBy, int? ExecutionTime, bool Success)
{
    /// <summary>Flyway's baseline row: description and script both the baseline description, no checksum, 0 ms.</summary>
    public static HistoryRow Baseline(string version, string description, string? installedBy) =>
        new(version, description, HistoryTypes.Baseline, description, null, installedBy, 0, true);
}
