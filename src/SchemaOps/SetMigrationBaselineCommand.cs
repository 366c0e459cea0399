using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Marks an existing database as being at a version (flyway baseline).</summary>
[Cmdlet(VerbsCommon.Set, "MigrationBaseline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Module)]
[OutputType(typeof(BaselineResult))]
public sealed class SetMigrationBaselineCommand : DatabaseCmdlet
{
    /// <summary>Default: the config's baselineVersion, else 1.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Description { get; set; }

    /// <summary>How long to wait for another runner's migration lock; default: the engine's (5 minutes).</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockWaitTimeout { get; set; }

    internal override TimeSpan? LockWait => LockWaitTimeout;

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this, v => v with { BaselineVersion = Version, BaselineDescription = Description });
        Run((sink, ct) => BaselineOperation.BaselineAsync(request, sink, ct));
    }
}
