namespace SchemaOps;

public enum ReportFormat
{
    Markdown,
    Json,
    JUnit,
    Html,
}

/// <summary>
/// The deployment log of a run, gathered from the objects the other commands emitted, whatever they are:
/// migrations applied (with durations and failures), fleets, status, validation, backups and their test
/// restores, restores, health checks, lint findings, rehearsals, snapshots and schema differences, repairs,
/// locks, and a line for anything else SchemaOps emits.
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
    public List<FleetResult> Fleet { get; init; } = [];
    public List<MigrationInfo> Status { get; init; } = [];
    public List<ValidationResult> Validation { get; init; } = [];
    public List<DatabaseBackup> Backups { get; init; } = [];
    public List<BackupTestResult> BackupTests { get; init; } = [];
    public List<RestoreResult> Restores { get; init; } = [];
    public List<HealthCheck> HealthChecks { get; init; } = [];
    public List<LintFinding> LintFindings { get; init; } = [];
    public List<RehearsalResult> Rehearsals { get; init; } = [];
    public List<SchemaSnapshot> Snapshots { get; init; } = [];
    public List<SchemaDifference> Differences { get; init; } = [];
    public List<RepairChange> Repairs { get; init; } = [];
    public List<LockReportEntry> Locks { get; init; } = [];
    /// <summary>Every other SchemaOps object (baselines, cleans, sessions, checksums, files, ...), as one line each.</summary>
    public List<ReportNote> Other { get; init; } = [];
    /// <summary>False when a migration, a fleet target, a health check, a validation, a backup test or a rehearsal failed, or lint found an error.</summary>
    public bool Succeeded { get; init; }
}

/// <summary>An object a report has no section of its own for: its type and how it describes itself.</summary>
public sealed class ReportNote
{
    public string Type { get; init; } = "";
    public string Text { get; init; } = "";
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
