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
        var format = args.Value("--format") is { } f
            ? Enum.TryParse<ReportFormat>(f, ignoreCase: true, out var parsed) ? parsed : throw new UsageException($"--format '{f}' is not markdown, json, junit or html")
            : ReportOperation.FormatOf(output);
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
            throw new SchemaOpsException("InvalidReportInput", SchemaOpsErrorCategory.InvalidData, $"{file}:{(e.LineNumber ?? 0) + 1}: not JSON", file, (int)(e.LineNumber ?? 0) + 1);
        }
        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            foreach (var e in elements)
            {
                bool Has(string p) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(p, out _);
                yield return Has("outcome") ? e.Deserialize(CliJson.Default.MigrationResult)!
                    : Has("sha256") ? e.Deserialize(CliJson.Default.DatabaseBackup)!
                    : Has("change") ? e.Deserialize(CliJson.Default.SchemaDifference)!
                    : Has("kind") && Has("passed") ? e.Deserialize(CliJson.Default.ValidationResult)!
                    : Has("passed") && Has("detail") ? e.Deserialize(CliJson.Default.HealthCheck)!
                    : throw new SchemaOpsException("InvalidReportInput", SchemaOpsErrorCategory.InvalidData,
                        $"{file}: an object that is not a migration result, backup, schema difference, health check or validation result", file);
            }
        }
    }
}
