using System.Xml.Linq;
using SchemaOps.Engine.Lint;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Cli.Commands;

public sealed class LintCommand : ICommand
{
    public string Name => "lint";
    public string Summary => "lint migration folders (as whole sets) or files; exit 1 when a finding reaches --level";
    public string Usage => "schemaops lint PATH... [--format human|gcc|json|junit] [--level error|warning|info] [--pg-version N] [--layout LAYOUT] [--group]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("--format", "human (default: with the offending line and the safe rewrite), gcc (file:line:col: severity: message), json or junit", ValueName: "FORMAT"),
        new("--json", "the same as --format json", TakesValue: false),
        new("--level", "exit 1 when a finding is at least this severe: error, warning (default) or info", ValueName: "LEVEL"),
        new("--pg-version", "the PostgreSQL major version the scripts will run on (default 15)", ValueName: "N"),
        MigrationOptions.Layout,
        new("--group", "the set will be applied with --group (one transaction)", TakesValue: false),
        new("--mixed", "the set will be applied with --mixed (Flyway's mixed=true): a statement that cannot run in a transaction may share a script with other changes", TakesValue: false),
        new("--rules", "rules turned off or re-graded: { \"rules\": { \"<rule>\": \"off|info|warning|error\" } } (default: ./schemaops-lint.json when it exists)", ValueName: "FILE"),
        new("--verbose", "say what is being done, on stderr", TakesValue: false),
    ];

    public Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count == 0) throw new UsageException("lint needs at least one PATH (a migration folder or a script)");
        var format = args.Has("--json") ? "json" : (args.Value("--format") ?? "human").ToLowerInvariant();
        if (format is not ("human" or "gcc" or "json" or "junit")) throw new UsageException($"--format '{format}' is not human, gcc, json or junit");
        var level = args.LintLevel("--level") ?? LintSeverity.Warning;
        var defaults = new LintOptions();
        var options = defaults with
        {
            PostgresMajor = args.Value("--pg-version") is { } v ? int.TryParse(v, out var major) && major is >= 9 and <= 99 ? major : throw new UsageException($"--pg-version '{v}' is not a PostgreSQL major version") : defaults.PostgresMajor,
            Layout = args.Value("--layout") is { } layout ? MigrationLayouts.ParseCliName(layout) : MigrationLayout.Auto,
            Group = args.Has("--group"), Mixed = args.Has("--mixed"),
            Rules = LintRuleSettings.Load(args.Value("--rules"), Environment.CurrentDirectory),
        };
        var sink = context.Sink(args);
        var findings = Linter.LintPaths(args.Positionals, options, sink);
        switch (format)
        {
            case "json":
                context.Stdout.WriteLine(CliJson.Array(findings));
                break;
            case "junit":
                context.Stdout.WriteLine(Engine.Reports.ReportOperation.LintJUnit("schemaops lint " + string.Join(" ", args.Positionals), findings, failingAt: level));
                break;
            default:
                foreach (var f in findings) context.Stdout.WriteLine(format == "gcc" ? f.ToString() : Human(f));
                if (format == "human") context.Stdout.WriteLine(findings.Count == 0 ? "no findings" : $"{findings.Count} finding(s): {Count(findings, LintSeverity.Error)} error(s), {Count(findings, LintSeverity.Warning)} warning(s), {Count(findings, LintSeverity.Info)} note(s)");
                break;
        }
        context.Stdout.Flush();
        return Task.FromResult(findings.Any(f => f.Severity >= level) ? ExitCodes.ProblemsFound : ExitCodes.Success);
    }

    private static int Count(IEnumerable<LintFinding> findings, LintSeverity severity) => findings.Count(f => f.Severity == severity);

    private static string Human(LintFinding f) =>
        $"{f.Severity.ToString().ToLowerInvariant()}[{f.RuleId}]: {f.Message}\n  --> {f.File}:{f.Line}:{f.Column}" +
        (f.Statement.Length > 0 ? $"\n   | {f.Statement}" : "") +
        (f.Suggestion is null ? "" : $"\n   = instead: {f.Suggestion}") + "\n";
}
