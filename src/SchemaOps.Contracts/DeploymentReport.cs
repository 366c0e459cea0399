namespace SchemaOps;

public enum ReportFormat
{
    Markdown,
    Json,
    JUnit,
    Html,
}

/// <summary>
/// The deployment log of a run, gathered from the objects the other commands emitted: migrations applied
/// (with durations and failures), the backup taken, schema differences, health checks and validation.
/// </summary>
public sealed class DeploymentReport
{
    public string Title { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    /// <summary>Who ran it (the OS user) and where.</summary>
    public string Operator { get; init; } = "";
    public string Machine { get; init; } = "";
    public List<string> Databases { get; init; } = [];
    public List<MigrationResult> Migrations { get; init; } = [];
    public List<DatabaseBackup> Backups { get; init; } = [];
    public List<SchemaDifference> Differences { get; init; } = [];
    public List<HealthCheck> HealthChecks { get; init; } = [];
    public List<ValidationResult> Validation { get; init; } = [];
    /// <summary>False when a migration failed, a health check or a validation failed.</summary>
    public bool Succeeded { get; init; }
}

/// <summary>What Export-MigrationReport wrote.</summary>
public sealed class ReportFile
{
    public string Path { get; init; } = "";
    public ReportFormat Format { get; init; }
    public bool Succeeded { get; init; }
    public int Migrations { get; init; }
    public int Problems { get; init; }

    public override string ToString() => Path;
}
