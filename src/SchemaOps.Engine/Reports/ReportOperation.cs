using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchemaOps.Engine.Reports;

/// <summary>
/// Export-MigrationReport: gathers the objects of a run (in any order, any mix) into a DeploymentReport and
/// writes it as Markdown (as the runbooks keep their deployment log), JSON, JUnit XML (for CI systems) or a
/// self-contained HTML page with a timeline of migration durations. Written whole or not at all.
/// </summary>
public static class ReportOperation
{
    /// <summary>Whether a report can hold the object: every object SchemaOps emits (its types live in the SchemaOps namespace).</summary>
    public static bool Accepts(object item) => item.GetType().Namespace == nameof(SchemaOps);

    public static DeploymentReport Build(IEnumerable<object> items, string? title = null)
    {
        var list = items.ToList();
        var foreign = list.Where(i => !Accepts(i)).Select(i => i.GetType().Name).Distinct().ToList();
        if (foreign.Count > 0)
            throw Errors.Parameter(ErrorCatalog.UnsupportedReportInput, $"a report takes the objects SchemaOps cmdlets and commands emit; it was given {string.Join(", ", foreign)}");
        List<T> Of<T>() => list.OfType<T>().ToList();
        var (migrations, fleet, backups, restores, health, snapshots) =
            (Of<MigrationResult>(), Of<FleetResult>(), Of<DatabaseBackup>(), Of<RestoreResult>(), Of<HealthCheck>(), Of<SchemaSnapshot>());
        var (validation, backupTests, lint, rehearsals) = (Of<ValidationResult>(), Of<BackupTestResult>(), Of<LintFinding>(), Of<RehearsalResult>());
        return new DeploymentReport
        {
            Title = title ?? "SchemaOps deployment report",
            CreatedAt = DateTime.UtcNow,
            Operator = Environment.UserName,
            Machine = Environment.MachineName,
            Databases = migrations.Select(m => m.Database).Concat(fleet.Select(f => f.Database)).Concat(backups.Select(b => b.Database))
                .Concat(restores.Select(r => r.Database)).Concat(health.Select(h => h.Database)).Concat(snapshots.Select(s => s.Database))
                .Where(d => d.Length > 0).Distinct().ToList(),
            Migrations = migrations, Fleet = fleet, Status = Of<MigrationInfo>(), Validation = validation, Backups = backups, BackupTests = backupTests,
            Restores = restores, HealthChecks = health, LintFindings = lint, Rehearsals = rehearsals, Snapshots = snapshots,
            Differences = Of<SchemaDifference>(), Repairs = Of<RepairChange>(), Locks = Of<LockReportEntry>(),
            Other = list.Where(i => i is not (MigrationResult or FleetResult or MigrationInfo or ValidationResult or DatabaseBackup or BackupTestResult
                    or RestoreResult or HealthCheck or LintFinding or RehearsalResult or SchemaSnapshot or SchemaDifference or RepairChange or LockReportEntry))
                .Select(i => new ReportNote { Type = i.GetType().Name, Text = i.ToString() ?? "" }).ToList(),
            Succeeded = Problems(migrations, fleet, health, validation, backupTests, rehearsals, lint) == 0,
        };
    }

    /// <summary>What went wrong in the run: failed migrations, fleet targets, checks, validations, backup tests and rehearsals, and lint errors.</summary>
    public static int Problems(DeploymentReport r) => Problems(r.Migrations, r.Fleet, r.HealthChecks, r.Validation, r.BackupTests, r.Rehearsals, r.LintFindings);

    private static int Problems(List<MigrationResult> migrations, List<FleetResult> fleet, List<HealthCheck> health, List<ValidationResult> validation,
        List<BackupTestResult> backupTests, List<RehearsalResult> rehearsals, List<LintFinding> lint) =>
        migrations.Count(m => m.Outcome == MigrationOutcome.Failed) + fleet.Count(f => !f.Succeeded) + health.Count(h => !h.Passed)
        + validation.Count(v => !v.Passed) + backupTests.Count(t => !t.Passed) + rehearsals.Count(x => !x.Passed) + lint.Count(f => f.Severity == LintSeverity.Error);

    /// <summary>Lint findings as JUnit, failing at <paramref name="failingAt"/> and above: the one JUnit writer, also the report's.</summary>
    public static string LintJUnit(string title, IReadOnlyList<LintFinding> findings, LintSeverity failingAt) => ReportText.LintJUnit(title, findings, failingAt);

    public static ReportFile Write(DeploymentReport report, string path, ReportFormat format)
    {
        var text = format switch
        {
            ReportFormat.Markdown => ReportText.Markdown(report),
            ReportFormat.Json => JsonSerializer.Serialize(report, ReportJson.Default.DeploymentReport),
            ReportFormat.JUnit => ReportText.JUnit(report),
            _ => ReportText.Html(report),
        };
        var full = AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(text), ErrorCatalog.ReportNotWritten, "the report");
        return new ReportFile
        {
            Path = full, Format = format, Succeeded = report.Succeeded, Migrations = report.Migrations.Count, Problems = Problems(report),
        };
    }

    /// <summary>The format a file name asks for: .md, .json, .xml (JUnit) or .html.</summary>
    public static ReportFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => ReportFormat.Markdown,
        ".json" => ReportFormat.Json,
        ".xml" => ReportFormat.JUnit,
        ".html" or ".htm" => ReportFormat.Html,
        var other => throw Errors.Parameter(ErrorCatalog.UnknownReportFormat, $"cannot tell the report format from '{other}': use .md, .json, .xml (JUnit) or .html, or say -Format / --format"),
    };
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(DeploymentReport))]
internal sealed partial class ReportJson : JsonSerializerContext;
