using System.Management.Automation;
using SchemaOps.Engine.Lint;

namespace SchemaOps.Commands;

/// <summary>Lints migration scripts: folders as whole sets (in their layout), single files, or SQL text from the pipeline.</summary>
[Cmdlet(VerbsDiagnostic.Test, "MigrationScript", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Module)]
[OutputType(typeof(LintFinding))]
public sealed class TestMigrationScriptCommand : SchemaOpsCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string TextSet = "Text";

    /// <summary>Migration folders (linted as sets) or script files; wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Migration folders or script files, taken as written; Get-ChildItem's output binds here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>SQL text to lint, from the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Sql { get; set; } = "";

    /// <summary>The name findings on -Sql text carry.</summary>
    [Parameter(ParameterSetName = TextSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "<input>";

    /// <summary>The PostgreSQL major version the scripts will run on (some risks depend on it). Default 15.</summary>
    [Parameter]
    [ValidateRange(9, 99)]
    public int? PostgresVersion { get; set; }

    [Parameter]
    public MigrationLayout? Layout { get; set; }

    /// <summary>The set will be applied with Invoke-Migration -Group (one transaction).</summary>
    [Parameter]
    public SwitchParameter Group { get; set; }

    /// <summary>The set will be applied with -Mixed (Flyway's mixed=true).</summary>
    [Parameter]
    public SwitchParameter Mixed { get; set; }

    /// <summary>Rules turned off or re-graded; default: schemaops-lint.json in the current location when it exists.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RuleConfigPath { get; set; }

    /// <summary>Only findings at or above this severity (the same threshold Invoke-Migration -LintLevel refuses at).</summary>
    [Parameter]
    public LintSeverity LintLevel { get; set; } = LintSeverity.Info;

    protected override void ProcessInput()
    {
        var defaults = new LintOptions();
        var rules = RuleConfigPath is null ? null : ResolvePath(RuleConfigPath);
        var here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var options = defaults with
        {
            PostgresMajor = PostgresVersion ?? defaults.PostgresMajor, Layout = Layout ?? MigrationLayout.Auto, Group = Group.IsPresent, Mixed = Mixed.IsPresent,
            Rules = Guard(() => LintRuleSettings.Load(rules, here)),
        };
        var level = LintLevel;
        if (ParameterSetName == TextSet)
        {
            var (sql, name) = (Sql, Name);
            Lint(sink => Linter.LintText(sql, name, options), level, terminating: true);
            return;
        }
        // Each folder or file on its own: one that cannot be read is an error, and the others are still linted.
        foreach (var path in ResolveExisting(ParameterSetName == PathSet ? Path : LiteralPath, literal: ParameterSetName == LiteralPathSet))
            Lint(sink => Linter.LintPaths([path], options, sink), level, terminating: false);
    }

    private void Lint(Func<IOperationSink, IReadOnlyList<LintFinding>> lint, LintSeverity level, bool terminating) => Run((sink, _) =>
    {
        foreach (var f in lint(sink).Where(f => f.Severity >= level)) sink.WriteObject(f);
        return Task.CompletedTask;
    }, terminating);
}
