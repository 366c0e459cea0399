using System.Text.Json;
using SchemaOps.Engine.Reports;

namespace SchemaOps.Cli.Commands;

public sealed class ReportCommand : ICommand
{
    public string Name => "report";
    public string Summary => "write the deployment log (Markdown, JSON, JUnit XML or HTML) from the --json output of other commands";
    public string Usage => "schemaops report --out FILE [--format markdown|json|junit|html] [--title TEXT] RESULTS.json...";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("--out", "the report file; its extension chooses the format (.md, .json, .xml, .html) unless --format says", ValueName: "FILE"),
        new("--format", "markdown, json, junit or html", ValueName: "FORMAT"),
        new("--title", "the report's title", ValueName: "TEXT"),
        new("--json", "print what was written as JSON", TakesValue: false),
    ];

    public Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var output = args.Value("--out") ?? throw new UsageException("report needs --out FILE");
        if (args.Positionals.Count == 0) throw new UsageException("report needs at least one RESULTS.json (the --json output of migrate, backup, compare, health, validate ...)");
        var format = args.Choice<ReportFormat>("--format") ?? ReportOperation.FormatOf(output);
        var items = args.Positionals.SelectMany(Read).ToList();
        var sink = context.Sink(args);
        var file = ReportOperation.Write(ReportOperation.Build(items, args.Value("--title")), output, format);
        sink.WriteObject(file);
        sink.Finish();
        return Task.FromResult(file.Succeeded ? ExitCodes.Success : ExitCodes.ProblemsFound);
    }

    /// <summary>The objects of one JSON array, each recognised by the properties only its type has.</summary>
    private static IEnumerable<object> Read(string file)
    {
        if (!File.Exists(file)) throw new UsageException($"{file} does not exist");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new SchemaOpsException(ErrorCatalog.InvalidReportInput, $"{file}:{(e.LineNumber ?? 0) + 1}: not JSON", file, (int)(e.LineNumber ?? 0) + 1);
        }
        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            foreach (var e in elements)
                yield return Recognise(e) ?? throw new SchemaOpsException(ErrorCatalog.InvalidReportInput,
                    $"{file}: an object that no SchemaOps command prints", file);
        }
    }

    /// <summary>
    /// The object a --json output printed, recognised by a property only its type has (the most specific first:
    /// several types have a state, a path or a passed flag).
    /// </summary>
    private static object? Recognise(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        bool Has(params string[] properties) => properties.All(p => e.TryGetProperty(p, out _));
        var d = CliJson.Default;
        return Has("outcome") ? e.Deserialize(d.MigrationResult)
            : Has("sha256") ? e.Deserialize(d.DatabaseBackup)
            : Has("pgDumpVersion", "changed") ? e.Deserialize(d.SchemaDump)
            : Has("restoredInto") ? e.Deserialize(d.BackupTestResult)
            : Has("replaced") ? e.Deserialize(d.RestoreResult)
            : Has("change") ? e.Deserialize(d.SchemaDifference)
            : Has("elapsedMilliseconds", "versions") ? e.Deserialize(d.FleetResult)
            : Has("ruleId") ? e.Deserialize(d.LintFinding)
            : Has("verdict") ? e.Deserialize(d.RehearsalResult)
            : Has("objects", "takenAt") ? e.Deserialize(d.SchemaSnapshot)
            : Has("blockedBy") ? e.Deserialize(d.LockReportEntry)
            : Has("action", "installedRank") ? e.Deserialize(d.RepairChange)
            : Has("maxConnections") ? e.Deserialize(d.ActivitySummary)
            : Has("idleInTransaction", "pid") ? e.Deserialize(d.SessionActivity)
            : Has("passfile") ? e.Deserialize(d.EphemeralDatabase)
            : Has("objectsDropped") ? e.Deserialize(d.CleanedSchema)
            : Has("problems", "format") ? e.Deserialize(d.ReportFile)
            : Has("state", "installedRank") ? e.Deserialize(d.MigrationInfo)
            : Has("created", "installedRank") ? e.Deserialize(d.BaselineResult)
            : Has("kind", "passed") ? e.Deserialize(d.ValidationResult)
            : Has("passed", "detail") ? e.Deserialize(d.HealthCheck)
            : Has("checksum", "path") && !Has("kind") ? e.Deserialize(d.ScriptChecksum)
            : Has("kind", "path") ? e.Deserialize(d.MigrationFile)
            : null;
    }
}
