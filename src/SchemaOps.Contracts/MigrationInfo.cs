namespace SchemaOps;

/// <summary>One migration as `info` sees it: local file, history row, or both.</summary>
public sealed class MigrationInfo
{
    public MigrationVersion? Version { get; init; }
    public string Description { get; init; } = "";
    public MigrationKind Kind { get; init; }
    /// <summary>The history table's type column (SQL, BASELINE, SCHEMA, ...).</summary>
    public string Type { get; init; } = "SQL";
    public string Script { get; init; } = "";
    public int? Checksum { get; init; }
    public MigrationState State { get; init; }
    public int? InstalledRank { get; init; }
    public DateTime? InstalledOn { get; init; }
    public string? InstalledBy { get; init; }
    public int? ExecutionTime { get; init; }
    /// <summary><see cref="ExecutionTime"/> as a TimeSpan, for runbooks; null when not applied.</summary>
    public TimeSpan? Duration => ExecutionTime is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
    /// <summary>In effect in the database: applied (in order or not) or the baseline.</summary>
    public bool IsApplied => State is MigrationState.Success or MigrationState.OutOfOrder or MigrationState.Baseline;
    /// <summary>Full path of the local script, when there is one.</summary>
    public string? LocalPath { get; init; }

    public override string ToString() => $"{Version?.Text ?? "R"} {Description} [{State}]";
}
