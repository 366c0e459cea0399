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

    /// <summary>How long to wait for another runner's migration lock; default: the engine's (5 minutes).</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockWaitTimeout { get; set; }

    internal override TimeSpan? LockWait => LockWaitTimeout;

    /// <summary>Repair in a production environment without the prompt that -Confirm:$false does not skip.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this, v => v with { IgnoreMigrationPatterns = IgnoreMigrationPattern },
            s => RequestBuilder.ConfirmProduction(this, Force.IsPresent, s, "Repair the migration history"));
        Run((sink, ct) => RepairOperation.RepairAsync(request, sink, ct));
    }
}
