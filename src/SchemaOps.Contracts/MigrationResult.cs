namespace SchemaOps;

/// <summary>One migration executed (or refused) by a run, emitted as it finishes.</summary>
public sealed class MigrationResult
{
    public MigrationVersion? Version { get; init; }
    public string Description { get; init; } = "";
    public MigrationKind Kind { get; init; }
    public string Script { get; init; } = "";
    public int? Checksum { get; init; }
    public MigrationOutcome Outcome { get; init; }
    /// <summary>Milliseconds, as recorded in the history table.</summary>
    public int ExecutionTime { get; init; }
    /// <summary><see cref="ExecutionTime"/> as a TimeSpan, for runbooks.</summary>
    public TimeSpan Duration => TimeSpan.FromMilliseconds(ExecutionTime);
    public bool InTransaction { get; init; }
    public int? InstalledRank { get; init; }
    public string Database { get; init; } = "";
    /// <summary>The error text when Outcome is Failed.</summary>
    public string? Error { get; init; }

    public override string ToString() => $"{Version?.Text ?? "R"} {Description}: {Outcome} ({ExecutionTime} ms)";
}
