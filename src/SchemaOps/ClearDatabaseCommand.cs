using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Drops every object in the managed schemas. Disabled unless allowed; never in production.</summary>
[Cmdlet(VerbsCommon.Clear, "Database", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Module)]
[OutputType(typeof(CleanedSchema))]
public sealed class ClearDatabaseCommand : DatabaseCmdlet
{
    /// <summary>Clean is disabled unless this (or cleanEnabled in the config, or SCHEMAOPS_CLEAN_ENABLED=true) says otherwise; a production environment refuses it whatever is said.</summary>
    [Parameter]
    public SwitchParameter AllowClean { get; set; }

    /// <summary>How long to wait for another runner's migration lock; default: the engine's (5 minutes).</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockWaitTimeout { get; set; }

    internal override TimeSpan? LockWait => LockWaitTimeout;

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this, v => v with { CleanEnabled = AllowClean.IsPresent ? true : null });
        Run((sink, ct) => CleanOperation.CleanAsync(request, sink, ct));
    }
}
