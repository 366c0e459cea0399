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

    protected override void ProcessRecord()
    {
        var request = BuildRequest(s => s with { IgnoreMigrationPatterns = IgnoreMigrationPattern ?? s.IgnoreMigrationPatterns });
        Run((sink, ct) => InfoOperation.ValidateAsync(request, sink, ct));
    }
}
