using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchemaOps.Cli;

/// <summary>
/// The JSON shapes the CLI prints, generated at compile time (no reflection, so the native build works).
/// Every output object an engine operation can emit must be listed here.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(MigrationInfo))]
[JsonSerializable(typeof(MigrationImpact))]
[JsonSerializable(typeof(MigrationResult))]
[JsonSerializable(typeof(ValidationResult))]
[JsonSerializable(typeof(BaselineResult))]
[JsonSerializable(typeof(ScriptChecksum))]
[JsonSerializable(typeof(RepairChange))]
[JsonSerializable(typeof(MigrationFile))]
[JsonSerializable(typeof(CleanedSchema))]
[JsonSerializable(typeof(FleetResult))]
[JsonSerializable(typeof(SchemaSnapshot))]
[JsonSerializable(typeof(SchemaDifference))]
[JsonSerializable(typeof(LockReportEntry))]
[JsonSerializable(typeof(DatabaseBackup))]
[JsonSerializable(typeof(SchemaDump))]
[JsonSerializable(typeof(BackupTestResult))]
[JsonSerializable(typeof(HealthCheck))]
[JsonSerializable(typeof(SessionActivity))]
[JsonSerializable(typeof(ActivitySummary))]
[JsonSerializable(typeof(DatabaseReadiness))]
[JsonSerializable(typeof(ReportFile))]
[JsonSerializable(typeof(RestoreResult))]
[JsonSerializable(typeof(LintFinding))]
[JsonSerializable(typeof(RehearsalResult))]
[JsonSerializable(typeof(EphemeralDatabase))]
[JsonSerializable(typeof(ErrorEnvelope))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>Objects of mixed types as one JSON array, each with its own shape.</summary>
    public static string Array(IEnumerable<object> items)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var item in items) JsonSerializer.Serialize(writer, item, item.GetType(), Default);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>What `--json` prints on stderr when a command fails.</summary>
internal sealed record ErrorEnvelope(CliError Error);

internal sealed record CliError(string Id, string Category, string Message, string? File, int? Line, string? Version, int ExitCode);
