using Npgsql;
using NpgsqlTypes;

namespace SchemaOps.Engine.History;

/// <summary>
/// Flyway's schema history table on PostgreSQL: the same DDL, the same rows. Ranks are computed in the
/// INSERT itself (MAX + 1 inside the caller's transaction, under the migration lock).
/// </summary>
public sealed class FlywayHistoryTable
{
    private static readonly (string Name, string Type)[] ExpectedColumns =
    [
        ("installed_rank", "int4"), ("version", "varchar"), ("description", "varchar"), ("type", "varchar"),
        ("script", "varchar"), ("checksum", "int4"), ("installed_by", "varchar"), ("installed_on", "timestamp"),
        ("execution_time", "int4"), ("success", "bool"),
    ];

    private readonly NpgsqlConnection _connection;

    public FlywayHistoryTable(NpgsqlConnection connection, HistoryTableName name)
    {
        _connection = connection;
        Name = name;
    }

    public HistoryTableName Name { get; }

    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))",
            _connection) { Parameters = { new() { Value = Name.Schema }, new() { Value = Name.Table } } };
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Refuses a table of that name that is not shaped like Flyway's, naming each difference.</summary>
    public async Task CheckShapeAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT a.attname, t.typname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid " +
            "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped", _connection)
        { Parameters = { new() { Value = Name.Quoted } } };
        var actual = new Dictionary<string, string>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) actual[reader.GetString(0)] = reader.GetString(1);

        var problems = ExpectedColumns
            .Where(c => !actual.TryGetValue(c.Name, out var type) || type != c.Type)
            .Select(c => actual.TryGetValue(c.Name, out var type) ? $"column {c.Name} is {type}, expected {c.Type}" : $"column {c.Name} is missing")
            .ToList();
        if (problems.Count > 0)
            throw new SchemaOpsException("HistoryTableShape", SchemaOpsErrorCategory.InvalidData,
                $"table {Name} exists but is not a Flyway schema history table ({string.Join("; ", problems)}). " +
                "Point -Table / --table at the right table, or rename this one.", file: Name.ToString());
    }

    public async Task CreateAsync(CancellationToken ct)
    {
        // Flyway's createTable.sql for PostgreSQL, names and all.
        var t = Name.Quoted;
        var sql = $"""
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
            );
            ALTER TABLE {t} ADD CONSTRAINT {HistoryTableName.Quote(Name.Table + "_pk")} PRIMARY KEY ("installed_rank");
            CREATE INDEX {HistoryTableName.Quote(Name.Table + "_s_idx")} ON {t} ("success");
            """;
        await using var cmd = new NpgsqlCommand(sql, _connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<List<AppliedMigration>> ReadAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success " +
            $"FROM {Name.Quoted} ORDER BY installed_rank", _connection);
        var rows = new List<AppliedMigration>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new AppliedMigration(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetInt32(5), r.GetString(6), r.GetDateTime(7), r.GetInt32(8), r.GetBoolean(9)));
        return rows;
    }

    /// <summary>
    /// An INSERT of one row as a batch command, so it can share a round trip (and a transaction) with a
    /// migration. It returns (installed_rank, execution_time). A null ExecutionTime is measured by the
    /// server: from the transaction's start (now()) to this INSERT (clock_timestamp()), i.e. the migration.
    /// </summary>
    public NpgsqlBatchCommand InsertCommand(HistoryRow row, bool schemaRow = false)
    {
        var rank = schemaRow ? "0" : $"(SELECT COALESCE(MAX(installed_rank), 0) + 1 FROM {Name.Quoted})";
        return new NpgsqlBatchCommand(
            $"INSERT INTO {Name.Quoted} (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) " +
            $"VALUES ({rank}, $1, $2, $3, $4, $5, COALESCE($6, current_user), COALESCE($7, (EXTRACT(EPOCH FROM clock_timestamp() - now()) * 1000)::int), $8) " +
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

    public async Task<int> InsertAsync(HistoryRow row, CancellationToken ct, bool schemaRow = false)
    {
        await using var batch = new NpgsqlBatch(_connection) { BatchCommands = { InsertCommand(row, schemaRow) } };
        return (int)(await batch.ExecuteScalarAsync(ct))!;
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
