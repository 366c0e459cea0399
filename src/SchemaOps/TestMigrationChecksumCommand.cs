using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Validates applied migrations against the files: one result per migration, Passed or the problem found.</summary>
[Cmdlet(VerbsDiagnostic.Test, "MigrationChecksum", HelpUri = HelpLinks.Module)]
[OutputType(typeof(ValidationResult))]
public sealed class TestMigrationChecksumCommand : MigrationCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IgnorePatternCompleter))]
    public string[]? IgnoreMigrationPattern { get; set; }

    /// <summary>
    /// Only these versions. Binds from status objects, so `Get-MigrationStatus | Where-Object ... |
    /// Test-MigrationChecksum` checks just those: what comes down the pipeline is collected and validated once at the end.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(MigrationVersionCompleter))]
    public string[]? Version { get; set; }

    /// <summary>Only these scripts (file names): how a repeatable migration, which has no version, is chosen. Binds from status objects too.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string[]? Script { get; set; }

    private readonly List<string> _versions = [];
    private readonly List<string> _scripts = [];

    protected override void ProcessInput()
    {
        // A status object chooses its migration by Version (versioned) or Script (repeatable); the choices are
        // validated together at the end. Anything else (no input, a MigrationTarget) validates everything now.
        if (Version is { Length: > 0 }) _versions.AddRange(Version);
        else if (Script is { Length: > 0 }) _scripts.AddRange(Script);
        else Validate(null, null);
    }

    protected override void EndProcessing()
    {
        if (_versions.Count + _scripts.Count > 0) Validate(_versions, _scripts);
    }

    private void Validate(IReadOnlyCollection<string>? versions, IReadOnlyCollection<string>? scripts)
    {
        var request = RequestBuilder.Build(this, v => v with { IgnoreMigrationPatterns = IgnoreMigrationPattern });
        Run((sink, ct) => InfoOperation.ValidateAsync(request, sink, ct, versions, scripts));
    }
}
