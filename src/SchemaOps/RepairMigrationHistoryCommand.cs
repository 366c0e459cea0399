using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Repairs the history table with Flyway 7+ semantics; one object per change.</summary>
[Cmdlet(VerbsDiagnostic.Repair, "MigrationHistory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Module)]
[OutputType(typeof(RepairChange))]
public sealed class RepairMigrationHistoryCommand : MigrationCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IgnorePatternCompleter))]
    public string[]? IgnoreMigrationPattern { get; set; }

    [Parameter]
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord()
    {
        var request = RequestBuilder.Build(this, s => s with
        {
            IgnoreMigrationPatterns = IgnoreMigrationPattern ?? s.IgnoreMigrationPatterns,
            LockWaitTimeout = LockWaitTimeout,
        });
        Run((sink, ct) => RepairOperation.RepairAsync(request, sink, ct));
    }
}
