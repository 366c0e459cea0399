using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.History;

/// <summary>
/// One applied migration as the history says it. Flyway's table stores all of it; dbmate's and
/// golang-migrate's store versions only, so their stores fill in what the local script says and leave
/// the rest unknown (null, or <see cref="ChecksumKnown"/> false).
/// </summary>
public sealed record AppliedMigration(
    int InstalledRank,
    string? VersionText,
    string Description,
    string Type,
    string Script,
    int? Checksum,
    string InstalledBy,
    DateTime? InstalledOn,
    int? ExecutionTime,
    bool Success)
{
    /// <summary>False when the history keeps no checksum (dbmate, golang-migrate): checksum checks are skipped.</summary>
    public bool ChecksumKnown { get; init; } = true;

    public MigrationVersion? Version { get; } = VersionText is null ? null : MigrationVersion.TryParse(VersionText, out var v, out _) ? v : null;

    // Computed once, as Version is: the planner asks each row's kind several times.
    public MigrationKind Kind { get; } = KindOf(Type, VersionText);

    private static MigrationKind KindOf(string type, string? versionText) => type switch
    {
        HistoryTypes.Schema => MigrationKind.SchemaCreation,
        HistoryTypes.Baseline => MigrationKind.Baseline,
        HistoryTypes.Delete => MigrationKind.Delete,
        _ when type.StartsWith("UNDO_", StringComparison.Ordinal) => MigrationKind.Undo,
        _ => versionText is null ? MigrationKind.Repeatable : MigrationKind.Versioned,
    };
}

/// <summary>The type column's values that SchemaOps writes (Flyway's names).</summary>
public static class HistoryTypes
{
    public const string Sql = "SQL";
    public const string Baseline = "BASELINE";
    public const string Schema = "SCHEMA";
    public const string Delete = "DELETE";
    public const string UndoSql = "UNDO_SQL";
}
