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
    public static DeploymentReport Build(IEnumerable<object> items, string? title = null)
    {
        var list = items.ToList();
        var migrations = list.OfType<MigrationResult>().ToList();
        var backups = list.OfType<DatabaseBackup>().ToList();
        var health = list.OfType<HealthCheck>().ToList();
        var validation = list.OfType<ValidationResult>().ToList();
        var unknown = list.Where(i => i is not (MigrationResult or DatabaseBackup or SchemaDifference or HealthCheck or ValidationResult)).Select(i => i.GetType().Name).Distinct().ToList();
        if (unknown.Count > 0)
            throw Errors.InvalidArgument("UnsupportedReportInput",
                $"a report takes MigrationResult, DatabaseBackup, SchemaDifference, HealthCheck and ValidationResult objects; it was given {string.Join(", ", unknown)}");
        return new DeploymentReport
        {
            Title = title ?? "SchemaOps deployment report",
            CreatedAt = DateTime.UtcNow,
            Operator = Environment.UserName,
            Machine = Environment.MachineName,
            Databases = migrations.Select(m => m.Database).Concat(backups.Select(b => b.Database)).Concat(health.Select(h => h.Database))
                .Where(d => d.Length > 0).Distinct().ToList(),
            Migrations = migrations,
            Backups = backups,
            Differences = list.OfType<SchemaDifference>().ToList(),
            HealthChecks = health,
            Validation = validation,
            Succeeded = migrations.All(m => m.Outcome != MigrationOutcome.Failed) && health.All(h => h.Passed) && validation.All(v => v.Passed),
        };
    }

    public static ReportFile Write(DeploymentReport report, string path, ReportFormat format)
    {
        var text = format switch
        {
            ReportFormat.Markdown => ReportText.Markdown(report),
            ReportFormat.Json => JsonSerializer.Serialize(report, ReportJson.Default.DeploymentReport),
            ReportFormat.JUnit => ReportText.JUnit(report),
            _ => ReportText.Html(report),
        };
        var full = AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(text), "ReportNotWritten", "the report");
        return new ReportFile
        {
            Path = full, Format = format, Succeeded = report.Succeeded, Migrations = report.Migrations.Count,
            Problems = report.Migrations.Count(m => m.Outcome == MigrationOutcome.Failed) + report.HealthChecks.Count(h => !h.Passed) + report.Validation.Count(v => !v.Passed),
        };
    }

    /// <summary>The format a file name asks for: .md, .json, .xml (JUnit) or .html.</summary>
    public static ReportFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => ReportFormat.Markdown,
        ".json" => ReportFormat.Json,
        ".xml" => ReportFormat.JUnit,
        ".html" or ".htm" => ReportFormat.Html,
        var other => throw Errors.InvalidArgument("UnknownReportFormat", $"cannot tell the report format from '{other}': use .md, .json, .xml (JUnit) or .html, or say -Format / --format"),
    };
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(DeploymentReport))]
internal sealed partial class ReportJson : JsonSerializerContext;
