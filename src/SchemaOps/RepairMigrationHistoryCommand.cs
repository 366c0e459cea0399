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

    /// <summary>Repair in a production environment without the prompt that -Confirm:$false does not skip.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var request = RequestBuilder.Build(this, more: s => RequestBuilder.ConfirmProduction(this, Force.IsPresent, s with
        {
            IgnoreMigrationPatterns = IgnoreMigrationPattern ?? s.IgnoreMigrationPatterns,
            LockWaitTimeout = LockWaitTimeout,
        }, "Repair the migration history"));
        Run((sink, ct) => RepairOperation.RepairAsync(request, sink, ct));
    }
}
