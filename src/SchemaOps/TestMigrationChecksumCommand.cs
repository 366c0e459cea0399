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
    /// Test-MigrationChecksum` checks just those: the versions are collected and validated once at the end.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationVersionCompleter))]
    public string[]? Version { get; set; }

    private readonly List<string> _versions = [];

    protected override void ProcessRecord()
    {
        if (Version is not null)
        {
            _versions.AddRange(Version); // validated together in EndProcessing
            return;
        }
        Validate(null);
    }

    protected override void EndProcessing()
    {
        if (_versions.Count > 0) Validate(_versions);
    }

    private void Validate(IReadOnlyCollection<string>? versions)
    {
        var request = RequestBuilder.Build(this, more: s => s with { IgnoreMigrationPatterns = IgnoreMigrationPattern ?? s.IgnoreMigrationPatterns });
        Run((sink, ct) => InfoOperation.ValidateAsync(request, sink, ct, versions));
    }
}
