using Npgsql;
using NpgsqlTypes;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.History;

/// <summary>
/// What dbmate's and golang-migrate's histories share: they store versions only. Beside the tool's table,
/// SchemaOps keeps its own <c>&lt;table&gt;_checksums</c> table (version, checksum, script, installed by/on,
/// execution time), written in the same transaction as the tool's row. The tools never read it, so their
/// tables stay exactly as they expect, and SchemaOps can still tell when an applied file was edited. Versions
/// applied by the tool itself have no checksum there and are not checked.
/// </summary>
public abstract class VersionOnlyHistoryStore(NpgsqlConnection connection, HistoryTableName name, IReadOnlyList<MigrationScript> scripts)
    : HistoryStore(connection, name)
{
    protected IReadOnlyList<MigrationScript> Scripts { get; } = scripts;

    /// <summary>SchemaOps' checksum table, beside the tool's.</summary>
    public HistoryTableName Checksums => new(Name.Schema, Name.Table + "_checksums");

    public override async Task<bool> NeedsSetupAsync(CancellationToken ct) => !await ExistsAsync(ct).ConfigureAwait(false) || !await ExistsAsync(Connection, Checksums, ct).ConfigureAwait(false);

    public override string SetupAction => $"Create {MigrationLayouts.Name(Layout)}'s history table (if missing) and SchemaOps' checksum table {Checksums}";

    public sealed override IEnumerable<string> CreateStatements()
    {
        yield return ToolTableDdl;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {Checksums.Quoted} (
                version varchar(128) PRIMARY KEY,
                checksum integer NOT NULL,
                script varchar(1000) NOT NULL,
                installed_by varchar(100) NOT NULL DEFAULT current_user,
                installed_on timestamp NOT NULL DEFAULT now(),
                execution_time integer NOT NULL
            )
            """;
    }

    /// <summary>The tool's own CREATE TABLE IF NOT EXISTS.</summary>
    protected abstract string ToolTableDdl { get; }

    /// <summary>
    /// Flyway-style rows for the applied versions: in version order (the order these tools apply in),
    /// described by the local script where there is one, with checksum, time and user where SchemaOps recorded them.
    /// </summary>
    protected async Task<List<AppliedMigration>> RowsAsync(IEnumerable<(string Text, bool Success)> applied, CancellationToken ct)
    {
        var recorded = await RecordedAsync(ct).ConfigureAwait(false);
        var local = Scripts.Where(s => s.Kind == MigrationKind.Versioned).ToDictionary(s => s.Version!);
        var parsed = applied.Select(a => (Version: MigrationVersion.TryParse(a.Text, out var v, out _) ? v!
                : throw Errors.Input(ErrorCatalog.InvalidHistoryVersion, $"{Name} holds the version '{a.Text}', which is not a number: fix or remove that row", Name.ToString(), version: a.Text),
            a.Text, a.Success)).OrderBy(a => a.Version).ToList();
        return parsed.Select((a, i) =>
        {
            var script = local.GetValueOrDefault(a.Version);
            var r = recorded.GetValueOrDefault(a.Version);
            return new AppliedMigration(i + 1, a.Text, script?.Description ?? "", HistoryTypes.Sql, r?.Script ?? script?.Script ?? a.Text, r?.Checksum,
                r?.InstalledBy ?? "", r?.InstalledOn, r?.ExecutionTime, a.Success) { ChecksumKnown = r is not null };
        }).ToList();
    }

    /// <summary>The command that keeps the checksum table in step with <paramref name="row"/>; goes before the tool's own.</summary>
    protected NpgsqlBatchCommand ChecksumCommand(HistoryRow row, string? version)
    {
        var applied = row.Success && row.Type == HistoryTypes.Sql;
        var sql = applied
            ? $"INSERT INTO {Checksums.Quoted} AS c (version, checksum, script, installed_by, execution_time) " +
              $"VALUES ($1, $2, $3, COALESCE($4, current_user), COALESCE($5, {ElapsedSql})) " +
              "ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, script = EXCLUDED.script, installed_by = EXCLUDED.installed_by, " +
              "installed_on = EXCLUDED.installed_on, execution_time = EXCLUDED.execution_time"
            : $"DELETE FROM {Checksums.Quoted} WHERE ltrim(version, '0') = ltrim($1, '0')";
        var command = new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = version ?? "", NpgsqlDbType = NpgsqlDbType.Varchar } } };
        if (applied)
        {
            command.Parameters.Add(new() { Value = (object?)row.Checksum ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new() { Value = row.Script, NpgsqlDbType = NpgsqlDbType.Varchar });
            command.Parameters.Add(new() { Value = (object?)row.InstalledBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
            command.Parameters.Add(new() { Value = (object?)row.ExecutionTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        }
        return command;
    }

    /// <summary>Repair's checksum realignment happens in the checksum table; the tool's table has nothing to realign.</summary>
    protected async Task AlignChecksumAsync(RepairChange change, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand($"UPDATE {Checksums.Quoted} SET checksum = $2 WHERE ltrim(version, '0') = ltrim($1, '0')", Connection)
        { Parameters = { new() { Value = change.Version!.Text }, new() { Value = int.Parse(change.After!) } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private sealed record Recorded(int Checksum, string Script, string InstalledBy, DateTime InstalledOn, int ExecutionTime);

    private async Task<Dictionary<MigrationVersion, Recorded>> RecordedAsync(CancellationToken ct)
    {
        var recorded = new Dictionary<MigrationVersion, Recorded>();
        if (!await ExistsAsync(Connection, Checksums, ct).ConfigureAwait(false)) return recorded; // a database only the tool has worked on
        var cmd = new NpgsqlCommand($"SELECT version, checksum, script, installed_by, installed_on, execution_time FROM {Checksums.Quoted}", Connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            if (MigrationVersion.TryParse(r.GetString(0), out var v, out _))
                recorded[v!] = new Recorded(r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetDateTime(4), r.GetInt32(5));
        return recorded;
    }
}
