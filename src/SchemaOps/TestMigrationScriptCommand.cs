using System.Management.Automation;
using SchemaOps.Engine.Lint;

namespace SchemaOps.Commands;

/// <summary>Lints migration scripts: folders as whole sets (in their layout), single files, or SQL text from the pipeline.</summary>
[Cmdlet(VerbsDiagnostic.Test, "MigrationScript", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Module)]
[OutputType(typeof(LintFinding))]
public sealed class TestMigrationScriptCommand : SchemaOpsCmdlet
{
    private const string PathSet = "Path";
    private const string TextSet = "Text";

    /// <summary>Migration folders (linted as sets) or script files.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

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

    /// <summary>Rules turned off or re-graded; default: schemaops-lint.json in the current location when it exists.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RuleConfigPath { get; set; }

    /// <summary>Only findings at or above this severity.</summary>
    [Parameter]
    public LintSeverity MinimumSeverity { get; set; } = LintSeverity.Info;

    protected override void ProcessRecord()
    {
        var defaults = new LintOptions();
        var here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var options = defaults with
        {
            PostgresMajor = PostgresVersion ?? defaults.PostgresMajor, Layout = Layout ?? MigrationLayout.Auto, Group = Group.IsPresent,
            Rules = Guard(() => LintRuleSettings.Load(RuleConfigPath is null ? null : ResolvePath(RuleConfigPath), here)),
        };
        var minimum = MinimumSeverity;
        var paths = ParameterSetName == PathSet ? Path.Select(ResolvePath).ToList() : null;
        var sql = Sql;
        var name = Name;
        Run((sink, _) =>
        {
            var findings = paths is not null ? Linter.LintPaths(paths, options, sink) : Linter.LintText(sql, name, options);
            foreach (var f in findings.Where(f => f.Severity >= minimum)) sink.WriteObject(f);
            return Task.CompletedTask;
        });
    }
}
